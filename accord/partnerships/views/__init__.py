"""The partnership pages, thin shells over ``selectors`` (reads) and ``services`` (writes): ``partnership``
holds the list, the detail page, creating and editing, the lifecycle and the members; ``entries`` the
objectives and the collaboration log; ``sections`` the sections of the detail page and the flow shared by
their small forms. Who may do what is decided by the selectors and services: a partnership the user may
not see answers 404, an action they may not take 403, and refused input comes back as form errors next to
the fields."""
