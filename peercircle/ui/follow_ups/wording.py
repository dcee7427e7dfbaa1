"""How follow-ups are put into words: friendly due dates, the counts line, and the reason
a suggestion starts with."""

from __future__ import annotations

import datetime as dt

from peercircle.services.notes_types import DueCounts, FollowUpInfo
from peercircle.ui.dates import weekday_and_day


def long_day_text(day: dt.date) -> str:
    """“Friday 27 November 2026”, for tooltips and screen readers."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def local_day(utc: dt.datetime) -> dt.date:
    """The local calendar day of a naive UTC time (as the services store them)."""
    return utc.replace(tzinfo=dt.UTC).astimezone().date()


def _plural(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def due_text(info: FollowUpInfo, today: dt.date) -> str:
    """“3 days overdue”, “Today”, “Tomorrow”, “Fri 27 Nov”, or “Done Tue 24 Nov”."""
    if info.done_at is not None:
        return f"Done {weekday_and_day(local_day(info.done_at), today)}"
    days = (info.due_date - today).days
    if days < -13:
        return f"{_plural(-days // 7, 'week')} overdue"
    if days < 0:
        return f"{_plural(-days, 'day')} overdue"
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    return weekday_and_day(info.due_date, today)


def counts_text(counts: DueCounts) -> str:
    """“2 overdue · 1 today · 3 this week”; only what is there; no names, ever."""
    parts = [
        f"{n} {what}"
        for n, what in (
            (counts.overdue, "overdue"),
            (counts.today, "today"),
            (counts.this_week, "this week"),
        )
        if n
    ]
    if not parts:
        return f"Nothing due this week · {counts.later} later" if counts.later else "Nothing due."
    if counts.later:
        parts.append(f"{counts.later} later")
    return " · ".join(parts)
