"""Sharing rounds kept with their meeting: the turn log, and talk time across meetings.

Plain Python, no Qt. The log holds order, times, passes and “check in later” flags —
never anything that was said. Talk-time figures are for the facilitator only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select

from peercircle.db import Database
from peercircle.db.models import Meeting, Member, Round, RoundTurn
from peercircle.services.meetings import MeetingService
from peercircle.services.roster_types import NotFoundError, name_sort_key
from peercircle.services.round_engine import RoundSettings, Speaker, TurnRecord
from peercircle.services.round_types import RoundLog, TalkShare, member_key

RECENT_MEETINGS = 6
"""How many of a group's latest meetings “least heard first” looks back over."""


class RoundService:
    """Saving finished rounds and reading back who has been heard how much."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def candidates(self, meeting_id: int) -> tuple[list[Speaker], set[str]]:
        """Everyone who could be in a round at this meeting, in seating order, and the keys
        of those checked in (present or late) plus the meeting's guests."""
        meetings = MeetingService(self._db)
        rows = meetings.check_in_rows(meeting_id)
        guests = meetings.get_meeting(meeting_id).guest_count
        speakers = [
            Speaker(member_key(row.member_id), row.display_name, row.seat, row.member_id)
            for row in rows
            if not row.archived
        ]
        here = {
            member_key(row.member_id)
            for row in rows
            if row.status is not None and row.status.attended and not row.archived
        }
        last_seat = max((s.seat for s in speakers), default=-1)
        for n in range(1, guests + 1):
            speakers.append(Speaker(f"g{n}", f"Guest {n}", last_seat + n))
            here.add(f"g{n}")
        return speakers, here

    def save_round(
        self,
        meeting_id: int,
        settings: RoundSettings,
        started_at: dt.datetime,
        elapsed: float,
        turns: Sequence[TurnRecord],
    ) -> RoundLog:
        """Keep a finished round's log with its meeting, in one step."""
        with self._db.session() as s:
            if s.get(Meeting, meeting_id) is None:
                raise NotFoundError("That meeting no longer exists.")
            row = Round(
                meeting_id=meeting_id,
                order_mode=settings.order,
                time_mode=settings.time_mode,
                time_seconds=settings.time_seconds,
                warning_seconds=settings.warning_seconds,
                started_at=started_at,
                elapsed_seconds=elapsed,
            )
            row.turns = [
                RoundTurn(
                    member_id=t.speaker.member_id,
                    position=t.position,
                    start_offset=t.start_offset,
                    end_offset=t.end_offset,
                    duration_seconds=t.duration,
                    allotted_seconds=t.allotted,
                    passed=t.passed,
                    check_in_later=t.check_in_later,
                    came_back=t.came_back,
                )
                for t in turns
            ]
            s.add(row)
            s.flush()
            round_id = row.id
        return next(r for r in self.rounds_of(meeting_id) if r.id == round_id)

    def rounds_of(self, meeting_id: int) -> list[RoundLog]:
        """The meeting's rounds in the order they were held."""
        with self._db.session() as s:
            rounds = list(
                s.scalars(
                    select(Round).where(Round.meeting_id == meeting_id).order_by(Round.started_at)
                )
            )
            names: dict[int, str] = {
                member_id: name
                for member_id, name in s.execute(
                    select(Member.id, Member.display_name)
                    .join(RoundTurn, RoundTurn.member_id == Member.id)
                    .join(Round, Round.id == RoundTurn.round_id)
                    .where(Round.meeting_id == meeting_id)
                )
            }
            logs = []
            for r in rounds:
                turns = [
                    TurnRecord(
                        speaker=_speaker(t, names),
                        position=t.position,
                        start_offset=t.start_offset,
                        end_offset=t.end_offset,
                        duration=t.duration_seconds,
                        allotted=t.allotted_seconds,
                        passed=t.passed,
                        check_in_later=t.check_in_later,
                        came_back=t.came_back,
                    )
                    for t in r.turns
                ]
                logs.append(
                    RoundLog(
                        id=r.id,
                        meeting_id=r.meeting_id,
                        settings=RoundSettings(
                            order=r.order_mode,
                            time_mode=r.time_mode,
                            time_seconds=r.time_seconds,
                            warning_seconds=r.warning_seconds,
                        ),
                        started_at=r.started_at,
                        elapsed=r.elapsed_seconds,
                        turns=tuple(turns),
                    )
                )
        return logs

    def last_settings(self, group_id: int) -> RoundSettings | None:
        """The settings of the group's most recent round, to offer them again."""
        with self._db.session() as s:
            row = s.scalar(
                select(Round)
                .join(Meeting, Meeting.id == Round.meeting_id)
                .where(Meeting.group_id == group_id)
                .order_by(Meeting.date.desc(), Round.started_at.desc())
                .limit(1)
            )
            if row is None:
                return None
            return RoundSettings(
                order=row.order_mode,
                time_mode=row.time_mode,
                time_seconds=row.time_seconds,
                warning_seconds=row.warning_seconds,
            )

    def recent_talk_time(
        self, group_id: int, *, before: dt.date, meetings: int = RECENT_MEETINGS
    ) -> dict[str, float]:
        """Talk time per speaker key over the group's last ``meetings`` meetings with a round
        before ``before`` — what “least heard first” orders by."""
        with self._db.session() as s:
            recent = (
                select(Meeting.id)
                .join(Round, Round.meeting_id == Meeting.id)
                .where(Meeting.group_id == group_id, Meeting.date < before)
                .group_by(Meeting.id)
                .order_by(Meeting.date.desc())
                .limit(meetings)
                .subquery()
            )
            rows = s.execute(
                select(RoundTurn.member_id, func.sum(RoundTurn.duration_seconds))
                .join(Round, Round.id == RoundTurn.round_id)
                .where(Round.meeting_id.in_(select(recent.c.id)), RoundTurn.member_id.is_not(None))
                .group_by(RoundTurn.member_id)
            )
            return {
                member_key(member_id): float(total)
                for member_id, total in rows
                if member_id is not None  # guests are not in the query; this tells mypy
            }

    def talk_time_share(self, group_id: int, *, since: dt.date | None = None) -> list[TalkShare]:
        """Each member's talk time across the group's rounds (since ``since``), most first."""
        with self._db.session() as s:
            stmt = (
                select(
                    Member.id,
                    Member.display_name,
                    RoundTurn.round_id,
                    RoundTurn.duration_seconds,
                    RoundTurn.passed,
                )
                .join(Round, Round.id == RoundTurn.round_id)
                .join(Meeting, Meeting.id == Round.meeting_id)
                .join(Member, Member.id == RoundTurn.member_id)
                .where(Meeting.group_id == group_id)
            )
            if since is not None:
                stmt = stmt.where(Meeting.date >= since)
            rows = list(s.execute(stmt))
        seconds: dict[int, float] = defaultdict(float)
        turns: dict[int, int] = defaultdict(int)
        passes: dict[int, int] = defaultdict(int)
        rounds: dict[int, set[int]] = defaultdict(set)
        names: dict[int, str] = {}
        for member_id, name, round_id, duration, passed in rows:
            names[member_id] = name
            rounds[member_id].add(round_id)
            if passed:
                passes[member_id] += 1
            else:
                seconds[member_id] += duration
                turns[member_id] += 1
        total = sum(seconds.values())
        shares = [
            TalkShare(
                member_id=member_id,
                display_name=names[member_id],
                seconds=seconds[member_id],
                turns=turns[member_id],
                passes=passes[member_id],
                rounds=len(rounds[member_id]),
                share=seconds[member_id] / total if total else 0.0,
            )
            for member_id in names
        ]
        return sorted(shares, key=lambda t: (-t.seconds, name_sort_key(t.display_name)))


def _speaker(turn: RoundTurn, names: dict[int, str]) -> Speaker:
    if turn.member_id is None:
        # Guests are anonymous: their turns are kept without a name or identity.
        return Speaker(f"g-{turn.position}", "Guest", turn.position)
    return Speaker(
        member_key(turn.member_id), names.get(turn.member_id, ""), turn.position, turn.member_id
    )


__all__ = [
    "RECENT_MEETINGS",
    "RoundLog",
    "RoundService",
    "TalkShare",
    "member_key",
]
