"""The BIP pages: ``bip`` (list, page, create, edit, lifecycle, partners, components) and
``participants`` (nominations, decisions, attendance, export)."""
