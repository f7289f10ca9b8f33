"""Operations on a running platform: backing it up and restoring it (``manage.py backup``,
``manage.py restore``). It may import ``geo`` and ``layers``; no app imports it."""
