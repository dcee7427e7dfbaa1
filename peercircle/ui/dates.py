"""Days as the screens write them: “Tue 3 Nov”, “3 Nov 2026”."""

from __future__ import annotations

import datetime as dt
import functools


@functools.lru_cache(maxsize=4096)  # strftime is slow, and a history repeats its days
def format_day(day: dt.date, *, weekday: bool = False, year: bool = True) -> str:
    """“3 Nov 2026”; “Tue 3 Nov 2026” with ``weekday``; “3 Nov” without ``year``."""
    text = f"{day.day} {day:%b}"
    if weekday:
        text = f"{day:%a} {text}"
    return f"{text} {day:%Y}" if year else text


def weekday_and_day(day: dt.date, today: dt.date | None = None) -> str:
    """“Tue 3 Mar”, with the year when it is not ``today``'s year (or no ``today`` is given)."""
    return format_day(day, weekday=True, year=today is None or day.year != today.year)
