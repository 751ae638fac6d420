"""The mobility pages, one module per page group: lists, a mobility, its learning agreement, its transcript,
its recognition and an institution's grading data. Thin shells over ``selectors`` and ``services``: a
mobility the user may not see answers 404, an action they may not take 403, and a refused input is shown
on the form with the service's message, nothing saved."""
