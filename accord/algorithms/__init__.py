"""Accord's pure cores: plain, typed Python with no Django import (decision 1), one subpackage per domain.

* ``agreements``: the content of an inter-institutional agreement, its validation, hashes, diffs, years;
* ``allocation``: scoring applicants and allocating exchange places (deferred acceptance);
* ``ewp``: Erasmus Without Paper documents (IIAs, mobilities, learning agreements, ELMO transcripts),
  the IIA hash, HTTP signatures and the official schemas;
* ``mobility``: learning agreements, durations, transcripts, recognition and grade conversion;
* ``xml_safety``: the one parser for XML from outside (no DTD, no entities, no network).

``tests/test_purity.py`` checks that no module imports Django or the apps.
"""
