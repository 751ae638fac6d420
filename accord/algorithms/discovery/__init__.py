"""Partner discovery and course equivalence as plain data (decision 19).

* ``text``: the words of a course or a profile, folded (case, accents) and cut to their stems, in any
  Latin, Greek or Cyrillic script language, so that a lexical index matches cognates across languages;
* ``lexical``: an Okapi BM25 index, the baseline every semantic index is measured against;
* ``dense``: cosine nearest neighbours over unit vectors (numpy), brute force in blocks;
* ``equivalence``: which home courses a host course most likely counts as, with the reasons;
* ``partners``: partner recommendations as a weighted sum of explained factors;
* ``metrics``: recall@k and mean reciprocal rank of a labelled set.

Pure Python and numpy, no Django import (decision 1).
"""
