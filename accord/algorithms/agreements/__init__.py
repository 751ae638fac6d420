"""Agreement content: Accord's pure model of inter-institutional agreements (import from ``content``).

* ``content``: the public face, which re-exports the names below, and the JSON document format;
* ``model``: the frozen dataclasses of an agreement version and their JSON form;
* ``parse``: :func:`parse_content`, reading and validating a document;
* ``hash``: the canonical form and SHA-256 of the cooperation conditions (and of the terms);
* ``diff``: field-level differences between versions or copies;
* ``years``: per-year quotas and renewal for a new range of academic years.
"""
