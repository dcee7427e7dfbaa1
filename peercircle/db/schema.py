"""The schema revision this version of PeerCircle writes.

Kept as a constant so start-up can compare it with the stored revision without
importing Alembic; ``tests/db/test_migrations.py`` checks it equals Alembic's head.
"""

HEAD_REVISION = "0005"
