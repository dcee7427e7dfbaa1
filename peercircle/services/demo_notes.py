"""Sample private notes: a vault with invented notes and follow-ups, to try that part with.

``create_demo_vault`` sets up the notes vault with a passphrase made of a few common words
(printed for the newcomer, who should change it before writing real notes), writes a few
warm, plainly fictional notes about the sample circles' recent meetings and some of their
members, adds follow-ups spread over the due buckets, and locks the vault again. People
mentioned in passing appear by initial only, as we suggest to facilitators.

It never replaces a vault that is already set up: the facilitator's real notes stay theirs.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

from sqlalchemy import select

from peercircle.db import Database
from peercircle.db.models import Attendance, Meeting, Member, Membership
from peercircle.domain import FollowUpSource, MemberStatus, Role
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

# Common, easy to spell words; four of them and a number make the sample passphrase.
PASSPHRASE_WORDS = (
    "acorn", "amber", "apple", "basket", "biscuit", "blanket", "bridge", "button",
    "candle", "cedar", "cloud", "copper", "cotton", "daisy", "ember", "feather",
    "forest", "garden", "ginger", "harbour", "hazel", "honey", "island", "jacket",
    "kettle", "ladder", "lantern", "lemon", "linen", "maple", "marble", "meadow",
    "morning", "orchard", "pebble", "pepper", "pocket", "quiet", "ribbon", "river",
    "robin", "saddle", "silver", "sparrow", "spring", "summer", "teapot", "thistle",
    "timber", "valley", "velvet", "violet", "walnut", "willow", "window", "winter",
)  # fmt: skip

_RECENT_MEETINGS = 4
"""Members are written about if they came to one of their circle's last few meetings."""
_NOTE_WRITTEN_AFTER = dt.timedelta(minutes=20)


@dataclass(frozen=True)
class DemoVault:
    """The sample vault: how to open it, and what was put in it."""

    passphrase: str = field(repr=False)
    recovery_code: str = field(repr=False)
    note_count: int
    follow_up_count: int


@dataclass(frozen=True)
class _Text:
    title: str
    body: str
    tags: tuple[str, ...]
    follow_up: str = ""  # what to check in about, for a note about a member


@dataclass(frozen=True)
class _CircleTexts:
    """One circle's notes: two about meetings (the latest one, one two weeks before), one
    about a member who shared at a recent meeting, one about another member."""

    latest_meeting: _Text
    earlier_meeting: _Text
    shared: _Text  # ``{name}``: the member's first name
    member: _Text


_CIRCLES = (
    _CircleTexts(  # Tuesday Evening Circle
        _Text(
            "A gentle round",
            "Full room tonight and a gentle round. Two people passed and came back at the "
            "end, which felt like trust growing.\n"
            "The heating in Room 2 was off again: ask at the library desk before next week.\n"
            "Start the round on time: it ran ten minutes over.",
            ("room", "round"),
        ),
        _Text(
            "Planning the holiday weeks",
            "People asked whether we keep meeting over the holidays. Most would like to; "
            "R. at the library will check the room is free.\n"
            "Try a minute of quiet before the round next time: a few people asked for a "
            "calmer start.",
            ("planning",),
        ),
        _Text(
            "{name}: a heavy few weeks at home",
            "{name} shared that home has felt crowded since their brother (D.) moved back in. "
            "Seemed lighter after the round and stayed for tea. Asked for the warmline "
            "number: gave them the handout.",
            ("home", "family"),
            "Ask how things are at home",
        ),
        _Text(
            "{name}: starting a new job",
            "{name} starts a new job next month and is nervous about telling their manager "
            "(K.) about the anxiety. Said the group helped them find the words. Would like to "
            "keep coming, maybe every other week.",
            ("work",),
            "Wish them well for the first week at work",
        ),
    ),
    _CircleTexts(  # Saturday Walk & Talk
        _Text(
            "Walk along the river",
            "Slower pace this week so everyone could keep up: worth keeping. The rain held "
            "off until the café.\n"
            "No big table free at the café; ask them to keep one for us on Saturdays.",
            ("walk", "café"),
        ),
        _Text(
            "The shorter loop",
            "Took the short loop because of the mud. A few people said the quiet stretch by "
            "the boathouse is where talking feels easiest. Ask the group whether to start "
            "there next month.",
            ("walk", "planning"),
        ),
        _Text(
            "{name}: not sleeping well",
            "{name} talked on the walk about sleeping badly since the move. Liked the idea of "
            "the small-steps worksheet: bring a printed copy next Saturday. Their neighbour "
            "(P.) has offered to walk with them on weekdays.",
            ("sleep",),
            "Bring the small-steps worksheet and ask about sleep",
        ),
        _Text(
            "{name}: all the way to the bridge",
            "{name} managed the whole loop to the bridge this week and was quietly proud. "
            "Mentioned a hospital appointment coming up and would like someone to ask about "
            "it afterwards.",
            ("health", "small wins"),
            "Ask how the hospital appointment went",
        ),
    ),
    _CircleTexts(  # Thursday Carers' Circle
        _Text(
            "Tea and a tender round",
            "A tender evening: two people spoke about hospital visits. We ended with everyone "
            "naming one small thing they will do for themselves this week.\n"
            "Asked for the carers' leaflet next week: print ten copies.",
            ("carers", "leaflet"),
        ),
        _Text(
            "A quiet evening",
            "Only a few of us, which made room for longer shares. Tea first worked well "
            "again. Remind people that the side door is the way in after six.",
            ("room",),
        ),
        _Text(
            "{name}: no time off in months",
            "{name} is caring for their dad (M.) and has not had a full day off since spring. "
            "Wants to look into respite care and will ring the carers' support line. Asked "
            "for the carers' leaflet next week.",
            ("carers", "respite"),
            "Ask whether they rang the carers' support line",
        ),
        _Text(
            "{name}: a good week",
            "{name} arrived smiling: their mum (A.) recognised the grandchildren on Sunday. "
            "Said it helps to have somewhere to bring good news as well as hard news.",
            ("carers", "small wins"),
            "Say hello before Thursday",
        ),
    ),
)

_NEWCOMER = _Text(
    "{name}: first time with us",
    "{name} came for the first time. Passed in the round and said listening was enough for "
    "now. We went through the agreements together afterwards; {name} would like to come "
    "again.",
    ("newcomer",),
    "Say hello and ask how the first meeting felt",
)


@dataclass(frozen=True)
class _Slot:
    """A follow-up's place in the due list, ``days`` from today."""

    days: int
    from_note: bool
    reason: str = ""  # for a follow-up about a member (not from a note)
    outcome: str | None = None  # done, with how it went


# One overdue, one today, a couple this week, one later, one done.
_SLOTS = (
    _Slot(-3, from_note=False, reason="Ring for a chat: they seemed low after the last meeting"),
    _Slot(0, from_note=True),
    _Slot(2, from_note=False, reason="Ask whether the new meeting time suits them"),
    _Slot(4, from_note=True),
    _Slot(16, from_note=True),
    _Slot(
        -6,
        from_note=False,
        reason="Check in after a hard evening",
        outcome="Had a good chat on the phone. Feeling steadier and planning to come next week.",
    ),
)


def new_passphrase(words: int = 4) -> str:
    """A few random common words and a two-digit number, e.g. “maple river lantern quiet 42”."""
    chosen = secrets.SystemRandom().sample(PASSPHRASE_WORDS, words)  # no word twice
    return " ".join([*chosen, str(10 + secrets.randbelow(90))])


def create_demo_vault(
    db: Database,
    group_ids: Sequence[int],
    *,
    today: dt.date,
    seed: int = 7,
    kdf_params: KdfParams | None = None,
) -> DemoVault | None:
    """Set up the notes vault with a new passphrase, write invented notes for the sample
    circles ``group_ids`` (in ``DEMO_GROUPS`` order) and follow-ups due around ``today``,
    then lock it. Returns None, touching nothing, if the vault is already set up.

    Which members are written about depends on ``seed``; the passphrase is new every time.
    """
    vault = VaultService(db, kdf_params=kdf_params)
    if vault.is_set_up():
        return None
    passphrase = new_passphrase()
    recovery_code = vault.set_up(passphrase)
    try:
        writer = _Writer(db, vault, today, random.Random(f"{seed}:notes"))
        for position, group_id in enumerate(group_ids):
            writer.write_circle(group_id, _CIRCLES[position % len(_CIRCLES)])
        writer.write_follow_ups()
    except BaseException:
        # Nobody will see this passphrase: leave no vault behind that no one can open.
        vault.reset()
        raise
    finally:
        vault.lock()
    return DemoVault(passphrase, recovery_code, writer.note_count, writer.follow_up_count)


@dataclass(frozen=True)
class _Person:
    member_id: int
    name: str
    group_id: int
    last_meeting: Meeting  # the latest meeting they came to
    first_meeting: Meeting | None  # their first ever, if it was one of the last two


@dataclass(frozen=True)
class _MemberNote:
    note_id: int
    person: _Person
    follow_up: str
    written: dt.datetime
    rank: int  # 0: the circle's first note about a member, 1: its second


class _Clock:
    """The moment the services stamp on what they save: each note when it was written."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class _Writer:
    def __init__(
        self, db: Database, vault: VaultService, today: dt.date, rng: random.Random
    ) -> None:
        self._db = db
        self._today = today
        self._rng = rng
        self._clock = _Clock(_local_to_utc(today, dt.time()))
        self._notes = NoteService(db, vault, now=self._clock)
        self._follow_ups = FollowUpService(db, vault, now=self._clock)
        # Suggestions stay visible: nobody the app would suggest gets a note or follow-up.
        self._suggested = {s.member_id for s in self._follow_ups.suggestions(today)}
        self._used: set[int] = set()  # picked in an earlier circle (some sit in two)
        self._member_notes: list[_MemberNote] = []
        self._others: list[list[_Person]] = []  # per circle: not written about yet
        self._meetings: dict[int, list[Meeting]] = {}  # group id -> newest first
        self.note_count = 0
        self.follow_up_count = 0

    def write_circle(self, group_id: int, texts: _CircleTexts) -> None:
        meetings = self._recent_meetings(group_id)
        self._meetings[group_id] = meetings
        if not meetings:
            return
        self._note(group_id, texts.latest_meeting, meetings[0], meeting=meetings[0])
        if len(meetings) > 2:
            self._note(group_id, texts.earlier_meeting, meetings[2], meeting=meetings[2])
        people = self._people(group_id, meetings)
        self._used.update(p.member_id for p in people)
        newcomer = next((p for p in people if p.first_meeting is not None), None)
        regulars = [p for p in people if p is not newcomer]
        if regulars:
            shared = regulars.pop(0)
            self._member_note(texts.shared, shared, shared.last_meeting, rank=0)
        if newcomer is not None:
            self._member_note(_NEWCOMER, newcomer, newcomer.first_meeting, rank=1)
        elif regulars:
            self._member_note(texts.member, regulars.pop(0), None, rank=1)
        self._others.append(regulars)

    def write_follow_ups(self) -> None:
        # Each circle's first member note before any second one; the others likewise.
        from_notes = iter(sorted(self._member_notes, key=lambda n: n.rank))
        others = [p for row in zip_longest(*self._others) for p in row if p is not None]
        others = others or [n.person for n in self._member_notes]
        for k, slot in enumerate(_SLOTS):
            due = self._today + dt.timedelta(days=slot.days)
            note = next(from_notes, None) if slot.from_note else None
            if note is not None:
                self._clock.now = note.written
                draft = FollowUpDraft(
                    member_id=note.person.member_id,
                    due_date=due,
                    reason=note.follow_up,
                    group_id=note.person.group_id,
                    note_id=note.note_id,
                    source=FollowUpSource.NOTE,
                )
            elif others:
                person = others[k % len(others)]
                self._clock.now = self._written_before(person.group_id, due)
                draft = FollowUpDraft(
                    member_id=person.member_id,
                    due_date=due,
                    reason=slot.reason or "Check in to see how they are",
                    group_id=person.group_id,
                )
            else:
                continue
            info = self._follow_ups.create(draft)
            if slot.outcome is not None:
                self._clock.now = _local_to_utc(due, dt.time(18, 0))
                self._follow_ups.complete(info.id, slot.outcome, info.version)
            self.follow_up_count += 1

    # ---- inside ---------------------------------------------------------------------------

    def _note(
        self,
        group_id: int,
        text: _Text,
        written: Meeting,
        *,
        meeting: Meeting | None = None,
        member: _Person | None = None,
    ) -> int:
        name = member.name if member is not None else ""
        self._clock.now = _written_after(written)
        info = self._notes.create(
            NoteDraft(
                group_id=group_id,
                title=text.title.format(name=name),
                body=text.body.format(name=name),
                tags=text.tags,
                meeting_id=meeting.id if meeting is not None else None,
                member_id=member.member_id if member is not None else None,
            )
        )
        self.note_count += 1
        return info.id

    def _member_note(
        self, text: _Text, person: _Person, meeting: Meeting | None, *, rank: int
    ) -> None:
        """A note about ``person`` (and ``meeting``, if given), written after ``meeting`` or
        the last meeting they came to."""
        written = meeting or person.last_meeting
        note_id = self._note(person.group_id, text, written, meeting=meeting, member=person)
        self._member_notes.append(
            _MemberNote(note_id, person, text.follow_up, _written_after(written), rank)
        )

    def _recent_meetings(self, group_id: int) -> list[Meeting]:
        with self._db.session() as s:
            meetings = s.scalars(
                select(Meeting)
                .where(Meeting.group_id == group_id, Meeting.date < self._today)
                .order_by(Meeting.date.desc(), Meeting.id.desc())
            ).all()
            s.expunge_all()
        return list(meetings)

    def _people(self, group_id: int, meetings: list[Meeting]) -> list[_Person]:
        """Active members (not the co-facilitator) who came to one of the last few meetings,
        not suggested for a check-in and not picked in an earlier circle; shuffled by the
        seed."""
        recent = {m.id: m for m in meetings[:_RECENT_MEETINGS]}
        with self._db.session() as s:
            seated = s.execute(
                select(Member.id, Member.display_name, Member.first_visit_on)
                .join(Membership, Membership.member_id == Member.id)
                .where(
                    Membership.group_id == group_id,
                    Membership.role != Role.CO_FACILITATOR,
                    Member.status == MemberStatus.ACTIVE,
                    Member.archived_at.is_(None),
                )
                .order_by(Membership.seat_order)
            ).all()
            came: dict[int, list[Meeting]] = {}
            for meeting_id, member_id, status in s.execute(
                select(Attendance.meeting_id, Attendance.member_id, Attendance.status).where(
                    Attendance.meeting_id.in_(recent)
                )
            ):
                if status.attended:
                    came.setdefault(member_id, []).append(recent[meeting_id])
        people = []
        for member_id, name, first_visit in seated:
            if member_id in self._used or member_id in self._suggested or member_id not in came:
                continue
            attended = sorted(came[member_id], key=lambda m: m.date, reverse=True)
            first = next((m for m in meetings[:2] if m.date == first_visit), None)
            people.append(
                _Person(
                    member_id,
                    name,
                    group_id,
                    attended[0],
                    first if first in attended else None,
                )
            )
        self._rng.shuffle(people)
        return people

    def _written_before(self, group_id: int, due: dt.date) -> dt.datetime:
        """When a follow-up due on ``due`` was written: after the circle's last meeting
        before that day."""
        meetings = self._meetings[group_id]
        before = next((m for m in meetings if m.date < due), meetings[-1])
        return _written_after(before)


def _written_after(meeting: Meeting) -> dt.datetime:
    """Shortly after the meeting ended (its local time), in UTC like every saved time."""
    ends = meeting.ends_at or meeting.starts_at or dt.time(19, 0)
    return _local_to_utc(meeting.date, ends) + _NOTE_WRITTEN_AFTER


def _local_to_utc(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at).astimezone(dt.UTC).replace(tzinfo=None)
