"""nextstep's memory: SQLModel models on SQLite (default) or PostgreSQL.

- ``models``: the tables, as model families (``XBase`` → ``X(table=True)`` → ``XRead``).
- ``types``: ``UTCDateTime``, aware UTC datetimes on every database.
- ``db``: ``make_engine``, ``session_scope``, ``upgrade`` / ``current_revision`` (Alembic,
  migrations shipped in ``storage/migrations``).
- ``repo``: repository functions over a session: reps, senders, counterparts, inputs,
  step status, pollers' cursors.
- ``read``: the read side: conversations, steps and inputs listed for people.
- ``threads``: recognising that a message belongs to a stored thread.
- ``conversations`` and ``steps``: an analysis stored, and stored again in place.
- ``nudges``: nudges as jobs, claimed atomically by one worker among many.

Nothing here connects at import time.
"""
