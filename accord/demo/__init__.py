"""The demo: fictional organisations, people, partnerships and their work, written by ``manage.py seed_demo``.

It sits above every domain app (it writes through their services and models) and no app imports it.
``data`` holds the directory's fictional data, ``seed`` writes it, and one module per domain adds
that domain's part of the story.
"""
