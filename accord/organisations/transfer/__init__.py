"""Bulk import and export of organisations and contacts (CSV and XLSX).

- ``columns``: the column sets (the one definition of the file format) and ``ImportFailed``;
- ``reading``: files to rows, refusing what is not a readable CSV/XLSX of the right shape;
- ``importing``: rows to services, checked row by row and saved all or nothing;
- ``exporting``: querysets to rows and files, with the same columns;
- ``http``: the export and template-file responses shared by the pages and the API.

Background jobs (``accord.organisations.tasks``) and the CLI commands are thin shells over these.
"""

from accord.organisations.transfer.columns import (
    COLUMN_HELP,
    COLUMNS,
    REQUIRED,
    ImportFailed,
    Mode,
    Problem,
    Target,
)
from accord.organisations.transfer.exporting import Format
from accord.organisations.transfer.importing import ImportOutcome, import_file, may_import

__all__ = [
    "COLUMNS",
    "COLUMN_HELP",
    "REQUIRED",
    "Format",
    "ImportFailed",
    "ImportOutcome",
    "Mode",
    "Problem",
    "Target",
    "import_file",
    "may_import",
]
