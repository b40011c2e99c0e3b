"""Register stage, migrations: the Alembic scripts that create and evolve the register schema."""
