"""Grade conversion with grade distribution tables (ECTS Users' Guide 2015, EGRACONS method).

* :mod:`~accord.algorithms.mobility.grade_conversion.distribution`: the tables, their validation and
  percentages, and the errors of the whole package;
* :mod:`~accord.algorithms.mobility.grade_conversion.conversion`: converting a grade by laying one
  table on the other, the documented rules and policies, manual conversions, side-by-side display;
* :mod:`~accord.algorithms.mobility.grade_conversion.files`: tables read from CSV and XLSX files.
"""
