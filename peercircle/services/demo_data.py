"""Sample data to try PeerCircle with: three invented circles, their people and history.

Every person here is made up. Names come from many scripts so the roster, search and
printing can be seen working with them; e-mail addresses use example.org and phone
numbers the 555-01xx range, which are reserved for fiction.

Each circle also gets about four months of invented weekly meetings up to the day before
``today``: topics, facilitators, anonymous guests, patchy attendance sheets (regulars, a
couple of people drifting away, one person in the first circle back after three missed
weeks, newcomers, joining anniversaries around now) and the logs of past sharing rounds
(order, durations, passes, “check in later” flags; never anything said), planned in
``peercircle.services.demo_history``.

A small resource library comes with them — a warmline, local services, a reading, a
worksheet, a website — each marked “(invented)”, with 555-01xx numbers, example.org links
and made-up addresses, and each circle hands out a few of them. Real helpline numbers are
never shipped: they differ by country and go stale.

Once that is saved, the private notes vault is set up with a printed passphrase and a few
invented notes and follow-ups (``peercircle.services.demo_notes``), unless the facilitator
has set up their own already: a real vault is never replaced.

The same seed (and day) always gives the same data (the passphrase is new every time).
Adding sample data twice is refused: the sample groups' names are the marker (see
``has_demo_data``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import (
    Attendance,
    Group,
    GroupResource,
    Meeting,
    Member,
    Membership,
    Resource,
    Round,
    RoundTurn,
)
from peercircle.domain import MemberStatus, ResourceKind, Role
from peercircle.services.demo_history import Person, meeting_row, plan_history, round_row, turn_row
from peercircle.services.resource_types import ResourceDraft

if TYPE_CHECKING:
    from peercircle.services.demo_notes import DemoVault
    from peercircle.services.vault_crypto import KdfParams


class DemoDataError(Exception):
    """Sample data cannot be added; the message says why. Nothing was added."""


@dataclass(frozen=True)
class _DemoGroup:
    name: str
    weekday: int
    time: dt.time
    place: str
    agreements: str


_AGREEMENTS = (
    "What is shared here stays here.\n"
    "We listen to understand, not to fix.\n"
    "Speak from your own experience: “I” rather than “you”.\n"
    "It is always okay to pass.\n"
    "Phones on silent, please."
)

DEMO_GROUPS = (
    _DemoGroup(
        "Tuesday Evening Circle",
        1,
        dt.time(18, 30),
        "Willow Lane Library, Room 2",
        _AGREEMENTS,
    ),
    _DemoGroup(
        "Saturday Walk & Talk",
        5,
        dt.time(10, 0),
        "Meet at the Riverside Park boathouse",
        "We walk at the pace of the slowest person.\n"
        "What is shared on the walk stays on the walk.\n"
        "Anyone can step out of a conversation, no reason needed.\n"
        "We finish together at the café, if you like.",
    ),
    _DemoGroup(
        "Thursday Carers' Circle",
        3,
        dt.time(19, 0),
        "Maple Street Community Hall (side door)",
        _AGREEMENTS + "\nTea first; the round starts at quarter past.",
    ),
)

# (given names, family names, family name first?, joiner between the two parts)
_NAME_POOLS: tuple[tuple[tuple[str, ...], tuple[str, ...], bool, str], ...] = (
    (
        ("Maya", "Jordan", "Robin", "Theo", "Hazel", "Sam", "Ivy", "Noah", "Grace", "Felix"),
        ("Ashdown", "Fairweather", "Holloway", "Penrose", "Whitlock", "O'Connell", "Brightwell"),
        False,
        " ",
    ),
    (
        ("Zoë", "José", "Inés", "Renée", "Joël", "Chloé", "Björn", "Søren", "Ágnes", "Çağla"),
        ("Núñez", "Gonçalves", "Øverland", "Schäfer", "Dvořák", "Moreau-Lefèvre", "Yılmaz"),
        False,
        " ",
    ),
    (
        ("Małgorzata", "Łukasz", "Zofia", "Wojciech", "Agnieszka", "Grzegorz", "Jędrzej"),
        ("Wiśniewska", "Kowalczyk", "Dąbrowski", "Szczęsna", "Żak", "Łęcka"),
        False,
        " ",
    ),
    (
        ("Ελένη", "Γιώργος", "Κατερίνα", "Νίκος", "Δήμητρα", "Σπύρος"),
        ("Παπαδοπούλου", "Αλεξίου", "Κωνσταντίνου", "Μαυρίδης"),
        False,
        " ",
    ),
    (
        ("Анастасия", "Дмитрий", "Ольга", "Тарас", "Іванна", "Богдан", "Мирослава"),
        ("Соколова", "Мельник", "Ковальчук", "Орлов", "Бондаренко"),
        False,
        " ",
    ),
    (
        ("Lan", "Minh", "Thảo", "Huệ", "Đức", "Phương", "Quân"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Đặng", "Hoàng"),
        True,
        " ",
    ),
    (("小雨", "浩然", "美玲", "子涵", "志强"), ("王", "李", "陈", "刘", "张"), True, ""),
    (("さくら", "陽菜", "蓮", "大翔", "結衣"), ("佐藤", "田中", "鈴木", "高橋"), True, ""),
    (("지우", "서연", "민준", "하은", "도윤"), ("김", "박", "이", "최"), True, ""),
    (
        ("ليلى", "يوسف", "مريم", "عمر", "نور", "سلمى"),
        ("حداد", "منصور", "الخطيب", "ناصر"),
        False,
        " ",
    ),
    (("अनन्या", "आरव", "प्रिया", "कबीर"), ("शर्मा", "वर्मा", "जोशी"), False, " "),
    (("Kai 🌊", "Jo 🌻", "Bee 🐝"), ("Marlowe", "Quill", "Ashby"), False, " "),
)
# Every resource is invented: 555-01xx numbers are reserved for fiction, example.org is
# reserved for examples, and the addresses say so.
DEMO_RESOURCES = (
    ResourceDraft(
        "Example Warmline (invented)",
        ResourceKind.HELPLINE,
        "A friendly voice to talk things over with, weekday evenings 6–10 pm. Not a crisis "
        "line. Invented, to show how a helpline looks on a handout.",
        "555-0100",
        "https://example.org/warmline",
        "",
        "listening, evenings",
    ),
    ResourceDraft(
        "Example Carers' Support Line (invented)",
        ResourceKind.HELPLINE,
        "Practical advice and a listening ear for people caring for someone at home.",
        "555-0142",
        "https://example.org/carers-line",
        "",
        "carers, advice",
    ),
    ResourceDraft(
        "Riverside Community Counselling (invented)",
        ResourceKind.LOCAL_SERVICE,
        "Low-cost counselling by appointment. Ask about the sliding scale.",
        "555-0167",
        "https://example.org/counselling",
        "14 Example Road, Riverside (invented address)",
        "counselling, low cost",
    ),
    ResourceDraft(
        "Maple Street Drop-in Café (invented)",
        ResourceKind.LOCAL_SERVICE,
        "Tea and company on Wednesday afternoons. No need to book; come as you are.",
        "555-0181",
        "",
        "Maple Street Community Hall, side room (invented address)",
        "company, drop-in",
    ),
    ResourceDraft(
        "Reading: On Being Heard (invented)",
        ResourceKind.READING,
        "A short essay about listening without trying to fix, twelve pages.",
        "",
        "https://example.org/reading/on-being-heard",
        "",
        "listening",
    ),
    ResourceDraft(
        "Worksheet: My Week in Small Steps (invented)",
        ResourceKind.WORKSHEET,
        "One page to plan a few small, kind things for the week ahead.",
        "",
        "https://example.org/worksheets/small-steps",
        "",
        "self-care, planning",
    ),
    ResourceDraft(
        "Example Peer Support Directory (invented)",
        ResourceKind.WEBSITE,
        "A made-up directory of peer groups, to show how a website looks on a handout.",
        "",
        "https://example.org/directory",
        "",
        "groups, directory",
    ),
)
# Each circle's handout, in order: indexes into DEMO_RESOURCES, one tuple per DEMO_GROUPS.
DEMO_HANDOUTS: tuple[tuple[int, ...], ...] = ((0, 2, 4, 5), (0, 6, 5), (1, 3, 0, 2))

_PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")
_RELATIONS = ("Partner", "Sister", "Brother", "Friend", "Mum", "Dad", "Neighbour")


def has_demo_data(db: Database) -> bool:
    """True if any sample group (by name, in any case) is already in the database."""
    names = {g.name.casefold() for g in DEMO_GROUPS}
    with db.session() as s:
        return any(name.casefold() in names for name in s.scalars(select(Group.name)))


@dataclass(frozen=True)
class DemoDataSummary:
    group_ids: tuple[int, ...]
    member_count: int
    meeting_count: int
    round_count: int
    resource_count: int
    vault: DemoVault | None  # None: a vault was already set up, so no sample notes


def create_demo_data(
    db: Database,
    members: int = 24,
    seed: int = 7,
    *,
    today: dt.date | None = None,
    kdf_params: KdfParams | None = None,
) -> DemoDataSummary:
    """Add three sample circles, ``members`` invented people, the circles' recent
    meetings, attendance and sharing rounds, and a few invented resources for their
    handouts, all in one transaction; then, if no vault is set up yet, a sample notes
    vault (``kdf_params``: its Argon2id cost; None calibrates, about a second).

    Deterministic for a given ``seed`` and ``today`` (joined dates reach back two years
    from it; meetings about four months, up to the day before). With no members the
    meetings still happen, with guests only, facilitated by “Sam”. Raises DemoDataError
    if the sample groups are already there.
    """
    if members < 0:
        raise DemoDataError("The number of sample members cannot be negative.")
    if has_demo_data(db):
        raise DemoDataError(
            "Sample data is already here (there is a group called "
            f"“{DEMO_GROUPS[0].name}” or another sample group's name). Nothing was added."
        )
    rng = random.Random(seed)
    today = today or dt.date.today()
    people = [_invent_member(rng, i, today) for i in range(members)]
    seats, primary = _seat_members(rng, members)
    # A stream of its own: who the people are does not depend on how their history is drawn.
    history = plan_history(
        random.Random(f"{seed}:history"), today, DEMO_GROUPS, people, seats, primary
    )
    with db.session() as s:
        groups = [
            Group(
                name=g.name,
                meeting_weekday=g.weekday,
                meeting_time=g.time,
                place=g.place,
                agreements=g.agreements,
            )
            for g in DEMO_GROUPS
        ]
        s.add_all(groups)
        s.flush()
        group_ids = tuple(g.id for g in groups)
        member_ids = _insert_returning_ids(s, Member, people)
        memberships = [
            {
                "group_id": group_ids[g],
                "member_id": member_ids[person],
                "role": Role.CO_FACILITATOR if seat == 0 else Role.MEMBER,
                "seat_order": seat,
            }
            for g, seated in enumerate(seats)
            for seat, person in enumerate(seated)
        ]
        if memberships:
            s.execute(insert(Membership), memberships)
        meeting_ids = _insert_returning_ids(
            s,
            Meeting,
            [meeting_row(m, group_ids[m.group], DEMO_GROUPS) for m in history.meetings],
        )
        marks = [
            {"meeting_id": meeting_ids[m], "member_id": member_ids[p], "status": status}
            for m, p, status in history.marks
        ]
        if marks:
            s.execute(insert(Attendance), marks)
        round_ids = _insert_returning_ids(
            s,
            Round,
            [
                round_row(r, history.meetings[r.meeting], meeting_ids[r.meeting], DEMO_GROUPS)
                for r in history.rounds
            ],
        )
        turns = [
            turn_row(t, round_id, position, r.seconds, member_ids)
            for round_id, r in zip(round_ids, history.rounds, strict=True)
            for position, t in enumerate(r.turns)
        ]
        if turns:
            s.execute(insert(RoundTurn), turns)
        resource_ids = _insert_returning_ids(s, Resource, [asdict(r) for r in DEMO_RESOURCES])
        s.execute(
            insert(GroupResource),
            [
                {"group_id": group_ids[g], "resource_id": resource_ids[r], "position": position}
                for g, handout in enumerate(DEMO_HANDOUTS)
                for position, r in enumerate(handout)
            ],
        )
    # Loaded only now: every command line job imports this module for DemoDataError, and
    # the vault brings the cryptography library with it.
    from peercircle.services.demo_notes import create_demo_vault

    vault = create_demo_vault(db, group_ids, today=today, seed=seed, kdf_params=kdf_params)
    return DemoDataSummary(
        group_ids, len(member_ids), len(meeting_ids), len(round_ids), len(resource_ids), vault
    )


def _insert_returning_ids(
    s: Session,
    model: type[Member | Meeting | Round | Resource],
    rows: Sequence[Mapping[str, object]],
) -> list[int]:
    """Insert ``rows`` in one statement; their new ids, in the rows' order."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(s.scalars(statement, rows))


def _seat_members(rng: random.Random, count: int) -> tuple[list[list[int]], list[int]]:
    """Put everyone in one circle (some in two) and seat them; each circle's first person
    becomes its co-facilitator. Returns each circle's people (indexes into the invented
    people) in seat order, and each person's first circle."""
    circles = range(len(DEMO_GROUPS))
    seats: list[list[int]] = [[] for _ in circles]
    primary: list[int] = []
    for person in range(count):
        first = rng.choices(circles, weights=(5, 3, 2))[0]
        seats[first].append(person)
        primary.append(first)
        if rng.random() < 0.15:
            second = rng.choice([g for g in circles if g != first])
            seats[second].append(person)
    return seats, primary


def _invent_member(rng: random.Random, index: int, today: dt.date) -> Person:
    given_names, family_names, family_first, joiner = rng.choice(_NAME_POOLS)
    given, family = rng.choice(given_names), rng.choice(family_names)
    plain_given = given.split(" ")[0]  # "Jo 🌻" is Jo on paper
    full = joiner.join((family, plain_given) if family_first else (plain_given, family))
    joined = today - dt.timedelta(days=rng.randrange(0, 730))
    first_visit = joined - dt.timedelta(days=rng.choice((0, 0, 7, 14, 28)))
    roll = rng.random()
    status = (
        MemberStatus.ACTIVE
        if roll < 0.85
        else MemberStatus.INACTIVE
        if roll < 0.95
        else MemberStatus.ALUMNI
    )
    return {
        "display_name": given,
        "full_name": full if rng.random() < 0.7 else "",
        "pronouns": rng.choice(_PRONOUNS) if rng.random() < 0.45 else "",
        "email": f"{_ascii_handle(given)}.{index + 1}@example.org" if rng.random() < 0.6 else "",
        "phone": _fake_phone(rng) if rng.random() < 0.5 else "",
        "emergency_contact": (
            f"{rng.choice(_RELATIONS)}, {_fake_phone(rng)}" if rng.random() < 0.3 else ""
        ),
        "joined_on": joined,
        "first_visit_on": first_visit,
        "status": status,
        "may_contact": rng.random() < 0.75,
    }


_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"})


def _ascii_handle(name: str) -> str:
    """ "Zoë" → "zoe"; names with no Latin letters get a neutral handle."""
    folded = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    folded = folded.encode("ascii", "ignore").decode()
    handle = "".join(ch for ch in folded.lower() if ch.isalnum())
    return handle or "member"


def _fake_phone(rng: random.Random) -> str:
    return f"555-01{rng.randrange(100):02d}"
