"""Register stage: one database of records creators, incidents and losses (SQLite or PostgreSQL).

Light to import: the plain dataclasses live in ``register.model``; SQLAlchemy and Alembic are
imported only by the modules that talk to the database. See ``docs/register.md``.
"""
