"""Mobilities: what a stay abroad is planned, lasts, earns and has recognised.

* ``learning_agreement``: components, change proposals, credit rules, diffs and the version hash;
* ``duration``: days and months of a mobility, as Erasmus+ counts them;
* ``transcript``: transcript of records files (CSV or XLSX) read into checked rows;
* ``recognition``: recognition rates, weighted by credits;
* ``grade_conversion``: converting grades with grade distribution tables (a package of its own).
"""
