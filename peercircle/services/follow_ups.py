"""Follow-ups — “check in with Sam by Friday” — and the suggestions that lead to them.

Who and when are plain (so the app can say “3 follow-ups due” while locked); the reason and
the outcome are encrypted like notes. Suggestions come from plain data only: attendance
(“missed the last two meetings”) and the round log's “check in later” flag. A suggestion
the facilitator accepts or dismisses is remembered and not offered again for that occasion.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import (
    FollowUp,
    Group,
    HandledSuggestion,
    Meeting,
    Member,
    Membership,
    Note,
    Round,
    RoundTurn,
)
from peercircle.domain import (
    FOLLOW_UP_OUTCOME_MAX,
    FOLLOW_UP_REASON_MAX,
    MemberStatus,
    SuggestionKind,
)
from peercircle.services import validation as v
from peercircle.services.lookups import values_by_id
from peercircle.services.meetings import MeetingService
from peercircle.services.notes_types import (
    DAMAGED_TEXT,
    DueBucket,
    DueCounts,
    FollowUpDraft,
    FollowUpInfo,
    Suggestion,
    due_bucket,
)
from peercircle.services.roster_types import NotFoundError
from peercircle.services.saving import fetch, flush, saving
from peercircle.services.vault import VaultService
from peercircle.services.vault_types import DamagedFieldError

log = logging.getLogger(__name__)

TABLE = "follow_ups"
KINDLY = " — check in kindly"
ROUND_FLAG_DAYS = 30
"""Round flags older than this are no longer suggested."""
DONE_SHOWN_DAYS = 30
"""Follow-ups done within this many days are still listed (as done)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def check_follow_up(draft: FollowUpDraft) -> FollowUpDraft:
    reason = " ".join(draft.reason.split())
    errors: dict[str, str] = {}
    if problem := v.check_name(reason, what="reason", limit=FOLLOW_UP_REASON_MAX, required=False):
        errors["reason"] = problem
    if errors:
        raise v.ValidationError(errors)
    return FollowUpDraft(
        member_id=draft.member_id,
        due_date=draft.due_date,
        reason=reason,
        group_id=draft.group_id,
        note_id=draft.note_id,
        meeting_id=draft.meeting_id,
        source=draft.source,
    )


def suggested_due_date(today: dt.date) -> dt.date:
    """A gentle default on a weekday: the coming Friday if that is at least two days away,
    otherwise the Monday after (never a weekend)."""
    days_to_friday = (4 - today.weekday()) % 7
    if days_to_friday >= 2:
        return today + dt.timedelta(days=days_to_friday)
    return today + dt.timedelta(days=7 - today.weekday())


class FollowUpService:
    def __init__(
        self,
        db: Database,
        vault: VaultService,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._db = db
        self._vault = vault
        self._now = now

    # ---- lists ---------------------------------------------------------------------------

    def due_counts(self, today: dt.date) -> DueCounts:
        """Open follow-ups by bucket, without the key."""
        with self._db.session() as s:
            dates = s.scalars(select(FollowUp.due_date).where(FollowUp.done_at.is_(None))).all()
        counts = dict.fromkeys(DueBucket, 0)
        for due in dates:
            counts[due_bucket(due, today)] += 1
        return DueCounts(
            overdue=counts[DueBucket.OVERDUE],
            today=counts[DueBucket.TODAY],
            this_week=counts[DueBucket.THIS_WEEK],
            later=counts[DueBucket.LATER],
        )

    def follow_ups(
        self,
        today: dt.date,
        *,
        member_id: int | None = None,
        group_id: int | None = None,
        include_done: bool = True,
    ) -> list[FollowUpInfo]:
        """Open follow-ups by due date (oldest first), then those done in the last
        ``DONE_SHOWN_DAYS`` days (most recent first). Needs the vault unlocked."""
        self._vault.require_unlocked()
        done_since = dt.datetime.combine(today - dt.timedelta(days=DONE_SHOWN_DAYS), dt.time())
        with self._db.session() as s:
            query = select(FollowUp).order_by(
                case((FollowUp.done_at.is_(None), 0), else_=1),
                FollowUp.done_at.desc(),  # all open ones tie here; done ones: latest first
                FollowUp.due_date,
                FollowUp.id,
            )
            if member_id is not None:
                query = query.where(FollowUp.member_id == member_id)
            if group_id is not None:
                query = query.where(FollowUp.group_id == group_id)
            if include_done:
                query = query.where(FollowUp.done_at.is_(None) | (FollowUp.done_at >= done_since))
            else:
                query = query.where(FollowUp.done_at.is_(None))
            rows = s.scalars(query).all()
            return self._infos(s, rows)

    def follow_up(self, follow_up_id: int) -> FollowUpInfo:
        self._vault.require_unlocked()
        with self._db.session() as s:
            row = s.get(FollowUp, follow_up_id)
            if row is None:
                raise NotFoundError("That follow-up no longer exists.")
            return self._infos(s, [row])[0]

    # ---- writing -------------------------------------------------------------------------

    def create(self, draft: FollowUpDraft) -> FollowUpInfo:
        draft = check_follow_up(draft)
        self._vault.require_unlocked()
        with saving(self._db, "This follow-up") as s:
            info = self._create(s, draft)
        log.info("Follow-up %d saved.", info.id)
        return info

    def update(
        self, follow_up_id: int, draft: FollowUpDraft, expected_version: int
    ) -> FollowUpInfo:
        draft = check_follow_up(draft)

        def change(s: Session, row: FollowUp, _now: dt.datetime) -> None:
            self._check_links(s, draft)
            row.member_id = draft.member_id
            row.group_id = draft.group_id
            row.note_id = draft.note_id
            row.meeting_id = draft.meeting_id
            row.due_date = draft.due_date
            row.reason = self._vault.encrypt(TABLE, row.id, "reason", draft.reason)

        info = self._change(follow_up_id, expected_version, change)
        log.info("Follow-up %d saved.", follow_up_id)
        return info

    def complete(self, follow_up_id: int, outcome: str, expected_version: int) -> FollowUpInfo:
        """Mark done, with how it went (may be empty)."""
        outcome = outcome.strip()
        if len(outcome) > FOLLOW_UP_OUTCOME_MAX:
            raise v.ValidationError(
                {"outcome": f"Please keep it under {FOLLOW_UP_OUTCOME_MAX} characters."}
            )

        def change(_s: Session, row: FollowUp, now: dt.datetime) -> None:
            row.outcome = self._vault.encrypt(TABLE, row.id, "outcome", outcome)
            row.done_at = now

        info = self._change(follow_up_id, expected_version, change)
        log.info("Follow-up %d done.", follow_up_id)
        return info

    def reopen(self, follow_up_id: int, expected_version: int) -> FollowUpInfo:
        def change(_s: Session, row: FollowUp, _now: dt.datetime) -> None:
            row.done_at = None
            row.outcome = None

        info = self._change(follow_up_id, expected_version, change)
        log.info("Follow-up %d reopened.", follow_up_id)
        return info

    def delete(self, follow_up_id: int) -> None:
        with saving(self._db, "This follow-up") as s:
            s.delete(fetch(s, FollowUp, follow_up_id, "follow-up"))
        log.info("Follow-up %d deleted.", follow_up_id)

    # ---- suggestions ---------------------------------------------------------------------

    def suggestions(self, today: dt.date) -> list[Suggestion]:
        """Who may need a check-in, from attendance and round flags, not yet handled and
        without an open follow-up already."""
        with self._db.session() as s:
            handled = {
                (h.kind, h.group_id, h.member_id, h.anchor_id)
                for h in s.scalars(select(HandledSuggestion))
            }
            open_for = set(
                s.scalars(select(FollowUp.member_id).where(FollowUp.done_at.is_(None))).all()
            )
            groups = s.execute(
                select(Group.id, Group.name).where(Group.archived_at.is_(None)).order_by(Group.id)
            ).all()
            flags = self._round_flags(s, today)
        found: list[Suggestion] = []
        meetings = MeetingService(self._db)
        for group_id, group_name in groups:
            for member in meetings.group_history(group_id, until=today).missed_last_two:
                if member.last_attended is None:
                    continue
                found.append(
                    Suggestion(
                        kind=SuggestionKind.MISSED_MEETINGS,
                        group_id=group_id,
                        group_name=group_name,
                        member_id=member.member_id,
                        member_name=member.display_name,
                        # One run of absences: it starts after the last time they came.
                        anchor_id=member.last_attended.toordinal(),
                        text=f"Missed the last {member.missed_streak} meetings of "
                        f"{group_name} (last came {_day(member.last_attended)}).",
                        reason=f"Missed the last {member.missed_streak} meetings{KINDLY}",
                    )
                )
        found.extend(flags)
        return [
            suggestion
            for suggestion in found
            if suggestion.member_id not in open_for
            and (suggestion.kind, suggestion.group_id, suggestion.member_id, suggestion.anchor_id)
            not in handled
        ]

    def accept(self, suggestion: Suggestion, due: dt.date, reason: str) -> FollowUpInfo:
        """Turn a suggestion into a follow-up (and remember it was handled)."""
        draft = check_follow_up(
            FollowUpDraft(
                member_id=suggestion.member_id,
                due_date=due,
                reason=reason,
                group_id=suggestion.group_id,
                meeting_id=suggestion.meeting_id,
                source=suggestion.source,
            )
        )
        self._vault.require_unlocked()
        with saving(self._db, "This follow-up") as s:
            self._mark_handled(s, suggestion, accepted=True)
            info = self._create(s, draft)
        log.info("Suggestion accepted as follow-up %d.", info.id)
        return info

    def dismiss(self, suggestion: Suggestion) -> None:
        with saving(self._db, "This suggestion") as s:
            self._mark_handled(s, suggestion, accepted=False)
        log.info("Suggestion dismissed (member %d).", suggestion.member_id)

    # ---- inside ---------------------------------------------------------------------------

    def _change(
        self,
        follow_up_id: int,
        expected_version: int,
        change: Callable[[Session, FollowUp, dt.datetime], None],
    ) -> FollowUpInfo:
        """Apply ``change`` to the follow-up as it was read (checked unchanged since)."""
        self._vault.require_unlocked()
        with saving(self._db, "This follow-up") as s:
            row = fetch(s, FollowUp, follow_up_id, "follow-up", expected_version)
            now = self._now()
            change(s, row, now)
            row.updated_at = now
            flush(s, "This follow-up")
            return self._infos(s, [row])[0]

    def _create(self, s: Session, draft: FollowUpDraft) -> FollowUpInfo:
        self._check_links(s, draft)
        now = self._now()
        row = FollowUp(
            member_id=draft.member_id,
            group_id=draft.group_id,
            note_id=draft.note_id,
            meeting_id=draft.meeting_id,
            source=draft.source,
            due_date=draft.due_date,
            reason=b"",
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        flush(s, "This follow-up")  # the id is part of what the reason is bound to
        row.reason = self._vault.encrypt(TABLE, row.id, "reason", draft.reason)
        flush(s, "This follow-up")
        return self._infos(s, [row])[0]

    def _mark_handled(self, s: Session, suggestion: Suggestion, *, accepted: bool) -> None:
        exists = s.scalar(
            select(HandledSuggestion.id).where(
                HandledSuggestion.kind == suggestion.kind,
                HandledSuggestion.group_id == suggestion.group_id,
                HandledSuggestion.member_id == suggestion.member_id,
                HandledSuggestion.anchor_id == suggestion.anchor_id,
            )
        )
        if exists is None:
            s.add(
                HandledSuggestion(
                    kind=suggestion.kind,
                    group_id=suggestion.group_id,
                    member_id=suggestion.member_id,
                    anchor_id=suggestion.anchor_id,
                    accepted=accepted,
                    handled_at=self._now(),
                )
            )

    @staticmethod
    def _check_links(s: Session, draft: FollowUpDraft) -> None:
        if s.get(Member, draft.member_id) is None:
            raise NotFoundError("That member no longer exists.")
        if draft.group_id is not None and s.get(Group, draft.group_id) is None:
            raise NotFoundError("That group no longer exists.")
        if draft.note_id is not None and s.get(Note, draft.note_id) is None:
            raise NotFoundError("That note no longer exists.")
        if draft.meeting_id is not None and s.get(Meeting, draft.meeting_id) is None:
            raise NotFoundError("That meeting no longer exists.")

    def _round_flags(self, s: Session, today: dt.date) -> list[Suggestion]:
        since = today - dt.timedelta(days=ROUND_FLAG_DAYS)
        rows = s.execute(
            select(
                RoundTurn.id,
                RoundTurn.member_id,
                Member.display_name,
                Meeting.id,
                Meeting.date,
                Group.id,
                Group.name,
            )
            .join(Round, RoundTurn.round_id == Round.id)
            .join(Meeting, Round.meeting_id == Meeting.id)
            .join(Group, Meeting.group_id == Group.id)
            .join(Member, RoundTurn.member_id == Member.id)
            .join(
                Membership,
                (Membership.member_id == Member.id) & (Membership.group_id == Group.id),
            )
            .where(
                RoundTurn.check_in_later.is_(True),
                Meeting.date >= since,
                Meeting.date <= today,
                Group.archived_at.is_(None),
                Member.archived_at.is_(None),
                Member.status == MemberStatus.ACTIVE,
            )
            .order_by(Meeting.date.desc(), RoundTurn.id)
        ).all()
        seen: set[tuple[int, int]] = set()
        found = []
        for turn_id, member_id, name, meeting_id, day, group_id, group_name in rows:
            if member_id is None or (member_id, meeting_id) in seen:
                continue
            seen.add((member_id, meeting_id))
            found.append(
                Suggestion(
                    kind=SuggestionKind.ROUND_FLAG,
                    group_id=group_id,
                    group_name=group_name,
                    member_id=member_id,
                    member_name=name,
                    anchor_id=turn_id,
                    text=f"Flagged “check in later” in the round on {_day(day)} ({group_name}).",
                    meeting_id=meeting_id,
                    reason=f"Flagged “check in later” in the round on {_day(day)}{KINDLY}",
                )
            )
        return found

    def _infos(self, s: Session, rows: Sequence[FollowUp]) -> list[FollowUpInfo]:
        names = values_by_id(s, Member.id, Member.display_name, (r.member_id for r in rows))
        groups = values_by_id(s, Group.id, Group.name, (r.group_id for r in rows))
        return [self._info(row, names, groups) for row in rows]

    def _info(self, row: FollowUp, names: dict[int, str], groups: dict[int, str]) -> FollowUpInfo:
        damaged = False
        try:
            reason = self._vault.decrypt(TABLE, row.id, "reason", row.reason)
        except DamagedFieldError:
            reason, damaged = DAMAGED_TEXT, True
        outcome = None
        if row.outcome is not None:
            try:
                outcome = self._vault.decrypt(TABLE, row.id, "outcome", row.outcome)
            except DamagedFieldError:
                outcome, damaged = DAMAGED_TEXT, True
        return FollowUpInfo(
            id=row.id,
            member_id=row.member_id,
            member_name=names.get(row.member_id, ""),
            group_id=row.group_id,
            group_name=groups.get(row.group_id) if row.group_id is not None else None,
            note_id=row.note_id,
            meeting_id=row.meeting_id,
            source=row.source,
            due_date=row.due_date,
            reason=reason,
            outcome=outcome,
            done_at=row.done_at,
            created_at=row.created_at,
            version=row.version,
            damaged=damaged,
        )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"
