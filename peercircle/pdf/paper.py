"""Paper sizes and the default one for the user's locale.

Kept apart from ``page`` (which loads ReportLab) so the window can offer paper sizes
without loading the PDF machinery at start-up.
"""

from __future__ import annotations

import enum
import os

# Territories whose paper is US Letter (glibc's LC_PAPER data); everyone else uses A4.
_LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PH", "PR", "CL", "CO", "CR", "GT", "NI", "PA", "SV", "VE", "DO", "BZ"}
)


class PaperSize(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


def default_paper_size(locale_name: str | None = None) -> PaperSize:
    """Letter for locales in Letter countries (en_US, en_CA, es_MX, en_PH, ...), else A4.

    Without an argument the paper locale comes from the environment the way POSIX reads it:
    LC_ALL, then LC_PAPER, then LANG.
    """
    if locale_name is None:
        locale_name = next(
            (os.environ[key] for key in ("LC_ALL", "LC_PAPER", "LANG") if os.environ.get(key)),
            "",
        )
    # "en_US.UTF-8@euro" or "en-US": the territory is the part after the language.
    base = locale_name.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    parts = base.split("_")
    territory = parts[-1].upper() if len(parts) > 1 else ""
    return PaperSize.LETTER if territory in _LETTER_TERRITORIES else PaperSize.A4


__all__ = ["PaperSize", "default_paper_size"]
