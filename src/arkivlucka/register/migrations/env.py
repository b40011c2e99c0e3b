"""Register stage, migrations: Alembic's environment, run on the connection the caller opened.

``register.db.upgrade`` passes its connection (already inside its transaction) in
``config.attributes["connection"]``; there is no ``alembic.ini`` and no logging set-up.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
