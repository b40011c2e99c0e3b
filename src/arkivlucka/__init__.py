"""arkivlucka: document unrecoverable information loss in Swedish archival records."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """Resolve ``__version__`` lazily: importlib.metadata is slow to import."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("arkivlucka")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0.0.0+unknown"
    raise AttributeError(name)
