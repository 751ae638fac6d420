"""The virtual exchange pages, one module per page group (``urls.py`` imports them)."""
