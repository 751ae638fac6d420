"""Grant rules as data and the grants computed from them, line by line (pure, no Django).

A :class:`~accord.algorithms.funding.rules.RuleSet` is parsed from plain JSON (the shipped Erasmus+
sets live in ``rulesets/``; an institution's own versions are stored by ``accord.funding``), validated
with errors that name the rule they break, and applied to one mobility at a time by
:func:`~accord.algorithms.funding.calculate.calculate`. Every amount is a :class:`~decimal.Decimal`,
rounded only where the rule set says so (its ``rounding`` quantum, applied to each line).
See docs/decisions/0016-funding.md.
"""
