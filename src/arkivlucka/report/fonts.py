"""Report stage, fonts: the installed font files the PDF embeds (never copied into the repo).

The report is set in DejaVu Sans from the system's fonts (Debian: ``fonts-dejavu-core``);
``$ARKIVLUCKA_FONT_DIR`` names another folder holding ``DejaVuSans.ttf`` and
``DejaVuSans-Bold.ttf``.
"""

from __future__ import annotations

import os
from pathlib import Path

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.core.findings import error

FAMILY = "DejaVu Sans"
FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
SEARCH = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu",  # Fedora, Arch
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts/dejavu",
    "/opt/homebrew/share/fonts/dejavu",
)


class FontError(ArkivluckaError):
    """The font the PDF must embed is not installed."""


def font_files(env: dict[str, str] | None = None) -> dict[str, Path]:
    """Return the weight → file of the report font, or raise saying what to install."""
    env = dict(os.environ) if env is None else env
    folders = [env["ARKIVLUCKA_FONT_DIR"]] if env.get("ARKIVLUCKA_FONT_DIR") else list(SEARCH)
    for folder in folders:
        found = {w: Path(folder) / name for w, name in FILES.items()}
        if all(p.is_file() for p in found.values()):
            return found
    why = (
        f"the report font {FAMILY} ({', '.join(FILES.values())}) was not found in "
        f"{', '.join(folders)}; install it (Debian: fonts-dejavu-core) or set ARKIVLUCKA_FONT_DIR"
    )
    raise FontError(why, [error("report-font-missing", why)])


def font_face_css(files: dict[str, Path]) -> str:
    """``@font-face`` rules pointing at the installed files (for the PDF renderer only)."""
    return "".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: normal; '
        f'src: url("{path.resolve().as_uri()}"); }}\n'
        for weight, path in files.items()
    )
