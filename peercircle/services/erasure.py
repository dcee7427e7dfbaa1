"""Erasing a member at their request (GDPR article 17): every trace, in one transaction.

Their details, group places, attendance marks, notes about them, follow-ups and handled
suggestions are deleted; their turns in sharing rounds stay (so a round's timing and counts
are unchanged) but no longer say who spoke; a meeting's facilitator field that holds their
name is emptied. The deleted rows are overwritten in the file (``secure_delete``), and on
SQLite the write-ahead log is emptied straight after, so no copy of them is left in it.

What is kept is the erasure log: the id they had and when they were erased, never a name, in
the ``erasures`` table and in ``erasure-log.json`` beside the database. Restoring an older
backup reads it and erases them again (``carried_erasures`` then ``reapply_erasures``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.health import read_only_uri
from peercircle.db.models import (
    Attendance,
    Erasure,
    FollowUp,
    HandledSuggestion,
    Meeting,
    Member,
    Membership,
    Note,
    RoundTurn,
)
from peercircle.files import os_error_reason, write_atomically
from peercircle.paths import database_path
from peercircle.services.saving import fetch, saving

log = logging.getLogger(__name__)

ERASURE_LOG_FILENAME = "erasure-log.json"
LOG_FORMAT = "peercircle-erasure-log"
LOG_VERSION = 1


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True, order=True)
class ErasureEntry:
    """One line of the erasure log: the id a member had and when they were erased."""

    member_id: int
    erased_at: dt.datetime  # naive UTC, like the models' times


@dataclass(frozen=True)
class ErasureCounts:
    """What erasing one member removes (or, for round turns, anonymises)."""

    memberships: int = 0
    attendance: int = 0
    notes: int = 0
    follow_ups: int = 0
    handled_suggestions: int = 0
    round_turns: int = 0
    """Turns in sharing rounds: kept for the round's timing, no longer linked to them."""
    meetings_facilitated: int = 0
    """Meetings whose facilitator field held their name: that field is emptied."""


@dataclass(frozen=True)
class ErasureReport:
    member_id: int
    erased_at: dt.datetime  # naive UTC
    counts: ErasureCounts
    log_problem: str | None = None
    """Why ``erasure-log.json`` could not be rewritten (the erasure itself is done and
    recorded in the database), or None."""


def erasure_log_path(data_dir: Path) -> Path:
    return data_dir / ERASURE_LOG_FILENAME


class ErasureService:
    """Erase members; ``data_dir`` None (a server database) keeps no side file."""

    def __init__(
        self,
        db: Database,
        data_dir: Path | None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._db = db
        self._data_dir = data_dir
        self._now = now

    def counts(self, member_id: int) -> ErasureCounts:
        """What erasing ``member_id`` would remove (nothing is changed; no key needed)."""
        with self._db.session() as s:
            member = fetch(s, Member, member_id, "member")
            names = _names(member)

            def count(column: Any) -> int:
                return int(s.scalar(select(func.count()).where(column == member_id)) or 0)

            return ErasureCounts(
                memberships=count(Membership.member_id),
                attendance=count(Attendance.member_id),
                notes=count(Note.member_id),
                follow_ups=count(FollowUp.member_id),
                handled_suggestions=count(HandledSuggestion.member_id),
                round_turns=count(RoundTurn.member_id),
                meetings_facilitated=len(_facilitated(s, names)),
            )

    def erase_member(self, member_id: int, expected_version: int | None = None) -> ErasureReport:
        """Erase the member and every trace of them, in one transaction; record the erasure.

        ``expected_version``: the version the caller showed; if someone changed the member
        since, ChangedElsewhereError and nothing is erased. NotFoundError if already gone.
        """
        erased_at = self._now()
        with saving(self._db, "This member") as s:
            member = fetch(s, Member, member_id, "member", expected_version)
            counts = _erase(s, member)
            s.add(Erasure(member_id=member_id, erased_at=erased_at))
        log.info("Member %d erased.", member_id)
        _checkpoint(self._db)
        problem = None
        if self._data_dir is not None:
            problem = _rewrite_side_file(self._db, self._data_dir)
        return ErasureReport(member_id, erased_at, counts, problem)

    def erasures(self) -> list[ErasureEntry]:
        """Every erasure recorded in this database, oldest first."""
        with self._db.session() as s:
            return _recorded(s)


def carried_erasures(data_dir: Path) -> list[ErasureEntry]:
    """The erasures to carry over a restore: those in ``erasure-log.json`` and, if it can be
    read, in the current database's ``erasures`` table. Oldest first, no repeats. Anything
    unreadable (a damaged file, an older database without the table) is passed over."""
    entries = set(read_side_file(erasure_log_path(data_dir)))
    entries.update(_read_database_log(database_path(data_dir)))
    return sorted(entries, key=lambda e: (e.erased_at, e.member_id))


def reapply_erasures(db: Database, entries: Sequence[ErasureEntry]) -> list[int]:
    """Record ``entries`` in this database's ``erasures`` table, then erase every listed
    member still in it — only one added before the erasure (SQLite reuses the ids of deleted
    rows, so a later member may have the same id). Returns the ids erased, in order."""
    erased: list[int] = []
    with db.session() as s:
        recorded = set(_recorded(s))
        for entry in sorted(set(entries) - recorded):
            s.add(Erasure(member_id=entry.member_id, erased_at=entry.erased_at))
        latest: dict[int, dt.datetime] = {}
        for entry in entries:
            latest[entry.member_id] = max(
                entry.erased_at, latest.get(entry.member_id, entry.erased_at)
            )
        for member_id in sorted(latest):
            member = s.get(Member, member_id)
            if member is not None and member.created_at <= latest[member_id]:
                _erase(s, member)
                erased.append(member_id)
    for member_id in erased:
        log.info("Member %d erased again (restored from a backup).", member_id)
    if erased:
        _checkpoint(db)
    return erased


# ---- the erasure itself ------------------------------------------------------------------


def _names(member: Member) -> set[str]:
    return {
        name.strip().casefold() for name in (member.display_name, member.full_name) if name.strip()
    }


def _facilitated(s: Session, names: set[str]) -> list[int]:
    """Meetings whose facilitator field is one of ``names`` (any case)."""
    rows = s.execute(select(Meeting.id, Meeting.facilitator).where(Meeting.facilitator != ""))
    return [meeting_id for meeting_id, text in rows if text.strip().casefold() in names]


def _erase(s: Session, member: Member) -> ErasureCounts:
    """Delete ``member`` and everything about them in ``s`` (not committed here)."""
    member_id = member.id
    names = _names(member)

    def remove(model: Any) -> int:
        result = s.execute(delete(model).where(model.member_id == member_id))
        return int(result.rowcount)  # type: ignore[attr-defined]

    # Follow-ups first: one may point to a note about them. A follow-up about someone else
    # that came from a note about them keeps its reason and loses the link (SET NULL).
    follow_ups = remove(FollowUp)
    notes = remove(Note)
    handled = remove(HandledSuggestion)
    attendance = remove(Attendance)
    memberships = remove(Membership)
    # The round keeps the turn (its timing, passes and count are the group's), not who it was.
    turns = s.execute(
        update(RoundTurn).where(RoundTurn.member_id == member_id).values(member_id=None)
    )
    facilitated = _facilitated(s, names)
    for meeting_id in facilitated:
        meeting = s.get(Meeting, meeting_id)
        if meeting is not None:
            meeting.facilitator = ""
    s.flush()
    s.execute(delete(Member).where(Member.id == member_id))
    s.expunge(member)
    return ErasureCounts(
        memberships=memberships,
        attendance=attendance,
        notes=notes,
        follow_ups=follow_ups,
        handled_suggestions=handled,
        round_turns=int(turns.rowcount),  # type: ignore[attr-defined]
        meetings_facilitated=len(facilitated),
    )


def _checkpoint(db: Database) -> None:
    """Copy the write-ahead log into the database file and empty it, so no earlier version
    of the erased rows stays in the ``-wal`` file (SQLite only)."""
    if db.backend != "sqlite":
        return
    with db.engine.connect() as connection:
        # The driver connection is in autocommit mode: the PRAGMA runs outside any
        # transaction, as a checkpoint must.
        raw: Any = connection.connection.driver_connection
        busy, _frames, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        log.warning("The write-ahead log could not be emptied yet; SQLite will do it later.")


# ---- the log -------------------------------------------------------------------------------


def _recorded(s: Session) -> list[ErasureEntry]:
    rows = s.execute(select(Erasure.member_id, Erasure.erased_at).order_by(Erasure.id))
    return [ErasureEntry(member_id, erased_at) for member_id, erased_at in rows]


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds") + "Z"


def _parse_moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _entries_from(items: Iterable[Any]) -> list[ErasureEntry]:
    entries = []
    for item in items:
        try:
            member_id, erased_at = item["member_id"], item["erased_at"]
            if isinstance(member_id, int) and not isinstance(member_id, bool):
                entries.append(ErasureEntry(member_id, _parse_moment(str(erased_at))))
        except (KeyError, TypeError, ValueError):
            continue  # one damaged line does not hide the others
    return entries


def read_side_file(path: Path) -> list[ErasureEntry]:
    """The entries in an erasure log file; [] if it is missing or cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or not isinstance(data.get("erasures"), list):
        return []
    return _entries_from(data["erasures"])


def side_file_text(entries: Iterable[ErasureEntry]) -> str:
    """The erasure log file's content: ids and times only."""
    ordered = sorted(set(entries), key=lambda e: (e.erased_at, e.member_id))
    return json.dumps(
        {
            "format": LOG_FORMAT,
            "version": LOG_VERSION,
            "erasures": [
                {"member_id": e.member_id, "erased_at": _stamp(e.erased_at)} for e in ordered
            ],
        },
        indent=2,
    )


def _rewrite_side_file(db: Database, data_dir: Path) -> str | None:
    """Write every erasure (the file's and the database's) to the side file; the reason it
    could not be written, or None."""
    path = erasure_log_path(data_dir)
    with db.session() as s:
        entries = set(_recorded(s))
    entries.update(read_side_file(path))
    try:
        write_atomically(path, (side_file_text(entries) + "\n").encode("utf-8"))
    except OSError as exc:
        log.warning("The erasure log file could not be written (%s).", exc.strerror or exc)
        return f"The erasure log {path} could not be saved: {os_error_reason(exc)}."
    return None


def _read_database_log(path: Path) -> list[ErasureEntry]:
    """The ``erasures`` table of the database at ``path``, read-only; [] if unreadable."""
    if not path.is_file():
        return []
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return []
    try:
        rows = con.execute("SELECT member_id, erased_at FROM erasures").fetchall()
    except sqlite3.Error:
        return []
    finally:
        con.close()
    return _entries_from({"member_id": m, "erased_at": t} for m, t in rows)


__all__ = [
    "ERASURE_LOG_FILENAME",
    "ErasureCounts",
    "ErasureEntry",
    "ErasureReport",
    "ErasureService",
    "carried_erasures",
    "erasure_log_path",
    "read_side_file",
    "reapply_erasures",
    "side_file_text",
]
