"""The BIP rules in force: the Programme Guide 2021-2027's. A funding app will keep one row of
:class:`~accord.algorithms.bips.BipRules` per call year and this will read the row in force."""

from accord.algorithms.bips import ERASMUS_2021_2027, BipRules

RULES: BipRules = ERASMUS_2021_2027
