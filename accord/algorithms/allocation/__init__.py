"""Allocation of exchange places to applicants.

* ``selection``: scoring and eligibility of applicants, what turns an application into an input;
* ``allocation``: the public API (``allocate``, ``reallocate``, ``find_blocking_pairs``) and the rules;
* ``model``: the typed input, its JSON form and its validation;
* ``engine``: deferred acceptance over integer arrays;
* ``explain``: cut-off scores, waitlists and plain-language explanations;
* ``blocking``: blocking pairs of a given (e.g. hand-edited) assignment.
"""
