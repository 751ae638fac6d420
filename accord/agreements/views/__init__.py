"""The agreement pages, one module per page group: the list and drafting, an agreement's page, its versions,
diffs, copies and documents, and the writes on its page.

Thin shells over ``selectors`` (reads) and ``services`` (writes). An agreement the user may not see
answers 404 and an action they may not take 403; every page works without JavaScript, and htmx swaps the
agreement's page (``#agreement``) in place after an edit."""
