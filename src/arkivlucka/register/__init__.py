"""Register stage: one database of records creators, incidents and losses (SQLite or PostgreSQL).

Light to import: the plain dataclasses live in ``register.model``; SQLAlchemy and Alembic are
imported only by the modules that talk to the database. See ``docs/register.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV_VAR = "ARKIVLUCKA_DB"


def configured(db: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The register named by ``db`` or ``$ARKIVLUCKA_DB``; None when neither names one."""
    env = os.environ if env is None else env
    return db or env.get(ENV_VAR) or None
