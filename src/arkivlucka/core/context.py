"""Run context: the clock, the tool version and the author role, injected for determinism."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from arkivlucka.core.errors import ArkivluckaError, OptionError

TOOL_NAME = "arkivlucka"


@dataclass(frozen=True)
class RunContext:
    """What an output depends on besides its input; equal contexts give identical bytes.

    ``created`` is timezone-aware. ``by_role`` is the role (e.g. "kommunarkivarie") recorded
    as the author of the entries; ``include_names`` puts the reporter's name and e-mail in
    the entries (personal data; off unless asked).
    """

    created: datetime
    tool_version: str
    tool_name: str = TOOL_NAME
    by_role: str | None = None
    include_names: bool = False

    def __post_init__(self) -> None:
        """Refuse option values XML cannot hold (they go into every entry)."""
        from arkivlucka.core.text import NOT_XML

        for param, value in (("tool_version", self.tool_version), ("by_role", self.by_role)):
            bad = NOT_XML.search(value or "")
            if bad:
                raise OptionError(
                    f"contains U+{ord(bad.group()):04X}, a character XML cannot hold", param=param
                )

    def created_iso(self) -> str:
        """Return the creation time as ISO 8601 to the second."""
        return self.created.isoformat(timespec="seconds")


def resolve_created(
    value: str | None,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> datetime:
    """Pick the creation time: ``value`` (ISO 8601), else ``SOURCE_DATE_EPOCH``, else the clock."""
    env = os.environ if env is None else env
    if value:
        try:
            created = datetime.fromisoformat(value)
        except ValueError as exc:
            why = f": {exc}" if "range" in str(exc) else ""  # e.g. day is out of range for month
            raise OptionError(
                f"'{value}' is not an ISO 8601 date-time (2024-03-01T10:00:00+01:00){why}",
                param="created",
            ) from None
        return created if created.tzinfo else created.replace(tzinfo=UTC)
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            seconds = int(epoch)
            if seconds < 0:  # the reproducible-builds definition: a non-negative integer
                raise ValueError(epoch)
            return datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError):
            raise ArkivluckaError(
                f"SOURCE_DATE_EPOCH: '{epoch}' is not a number of seconds since 1970"
            ) from None
    return clock()


def default_version() -> str:
    """Return the installed version of arkivlucka, as ``importlib.metadata`` gives it."""
    import sys

    from arkivlucka.core.dists import find_installed

    found = find_installed("arkivlucka", sys.path)
    if found is None or found.version is None:  # pragma: no cover - a bare checkout
        return "0.0.0+unknown"
    return found.version
