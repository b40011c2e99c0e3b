"""arkivlucka: document unrecoverable information loss in Swedish archival records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arkivlucka")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
