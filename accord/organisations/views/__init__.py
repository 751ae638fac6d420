"""The directory's pages, one module per page group: the directory, a profile, its unit and contact
sections, its factsheet, and bulk import and export. Thin shells over ``selectors`` (reads) and
``services`` (writes).

Every page works without JavaScript (forms post and redirect); with htmx, the directory results and the
unit and contact sections of a profile are swapped in place. A request made by htmx gets the fragment,
any other the whole page. Domain errors become form errors, 403 or 404."""
