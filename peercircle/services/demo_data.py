"""Sample data to try PeerCircle with: three invented circles and invented members.

Every person here is made up. Names come from many scripts so the roster, search and
printing can be seen working with them; e-mail addresses use example.org and phone
numbers the 555-01xx range, which are reserved for fiction. The same seed (and day)
always gives the same data. Adding sample data twice is refused: the sample groups'
names are the marker (see ``has_demo_data``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from sqlalchemy import insert, select

from peercircle.db import Database
from peercircle.db.models import Group, Member, Membership
from peercircle.domain import MemberStatus, Role


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


def create_demo_data(
    db: Database, members: int = 24, seed: int = 7, *, today: dt.date | None = None
) -> DemoDataSummary:
    """Add three sample circles and ``members`` invented people, in one transaction.

    Deterministic for a given ``seed`` and ``today`` (joined dates reach back two years
    from it). Raises DemoDataError if the sample groups are already there.
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
        member_ids = (
            list(
                s.scalars(insert(Member).returning(Member.id, sort_by_parameter_order=True), people)
            )
            if people
            else []
        )
        memberships = _seat_members(rng, group_ids, member_ids)
        if memberships:
            s.execute(insert(Membership), memberships)
    return DemoDataSummary(group_ids, len(member_ids))


def _seat_members(
    rng: random.Random, group_ids: tuple[int, ...], member_ids: list[int]
) -> list[dict[str, object]]:
    """Put everyone in one circle (some in two), seat them, and make each circle's first
    person its co-facilitator."""
    seats: dict[int, list[int]] = {gid: [] for gid in group_ids}
    for member_id in member_ids:
        first = rng.choices(group_ids, weights=(5, 3, 2))[0]
        seats[first].append(member_id)
        if rng.random() < 0.15:
            second = rng.choice([gid for gid in group_ids if gid != first])
            seats[second].append(member_id)
    return [
        {
            "group_id": gid,
            "member_id": member_id,
            "role": Role.CO_FACILITATOR if seat == 0 else Role.MEMBER,
            "seat_order": seat,
        }
        for gid, seated in seats.items()
        for seat, member_id in enumerate(seated)
    ]


def _invent_member(rng: random.Random, index: int, today: dt.date) -> dict[str, object]:
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
