"""Find files in ``resources/`` the same way from a source checkout, an install and a bundle.

No Qt here: the PDF builders and the CLI need fonts without a window.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import peercircle


@cache
def resources_dir() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(peercircle.__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "peercircle" / "resources")
    for candidate in candidates:
        if (candidate / "style.qss").is_file():
            return candidate
    raise FileNotFoundError(
        "PeerCircle's resources folder is missing; please reinstall PeerCircle."
    )


def resource_path(name: str) -> Path:
    return resources_dir() / name
