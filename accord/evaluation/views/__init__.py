"""The evaluation pages: dashboards, tracked objectives and reports (``urls.py`` imports the modules)."""
