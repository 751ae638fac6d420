"""Fictional demo data for the directory: ``data`` holds it, ``seed`` writes it (``manage.py seed_demo``)."""
