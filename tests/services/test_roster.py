"""RosterService: groups, members, memberships, seating, search, validation, concurrency."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from peercircle.db import Database, models, open_database
from peercircle.db.models import MemberStatus, Role
from peercircle.paths import database_path
from peercircle.services import roster as roster_module
from peercircle.services.roster import (
    ChangedElsewhereError,
    GroupDraft,
    GroupInfo,
    MemberDraft,
    MemberRow,
    NotFoundError,
    RosterService,
    fold_for_search,
)
from peercircle.services.validation import ValidationError

MISSING_ID = 999_999


def _names(rows: list[MemberRow]) -> list[str]:
    return [m.display_name for m in rows]


def _group(roster: RosterService, name: str = "Tuesday Circle") -> GroupInfo:
    return roster.create_group(GroupDraft(name))


def _member(roster: RosterService, name: str, group: GroupInfo | None = None) -> MemberRow:
    return roster.create_member(MemberDraft(name), group_id=group.id if group else None)


# ---- groups -------------------------------------------------------------------------------


def test_create_group_trims_and_returns_what_was_stored(roster: RosterService) -> None:
    created = roster.create_group(
        GroupDraft(
            "  Tuesday Circle\u00a0",
            meeting_weekday=1,
            meeting_time=dt.time(18, 30),
            place="  Library room 2 ",
            agreements="\n  What is said here stays here.\nPhones on silent.  \n",
        )
    )
    assert created.name == "Tuesday Circle"
    assert created.place == "Library room 2"
    assert created.agreements == "What is said here stays here.\nPhones on silent."
    assert (created.archived, created.member_count, created.version) == (False, 0, 1)
    assert created.schedule == "Tuesdays at 18:30 · Library room 2"
    assert roster.get_group(created.id) == created
    assert created.to_draft() == GroupDraft(
        "Tuesday Circle",
        1,
        dt.time(18, 30),
        "Library room 2",
        "What is said here stays here.\nPhones on silent.",
    )


@pytest.mark.parametrize(
    ("weekday", "time", "place", "expected"),
    [
        (None, None, "", ""),
        (6, None, "", "Sundays"),
        (None, dt.time(9, 5), "", "At 09:05"),
        (None, None, "Café Nord", "Café Nord"),
        (0, dt.time(19, 0), "Hall", "Mondays at 19:00 · Hall"),
    ],
)
def test_group_schedule_reads_naturally(
    roster: RosterService, weekday: int | None, time: dt.time | None, place: str, expected: str
) -> None:
    group = roster.create_group(GroupDraft("G", weekday, time, place))
    assert group.schedule == expected


def test_update_group_changes_fields_and_bumps_version(roster: RosterService) -> None:
    group = _group(roster)
    updated = roster.update_group(
        group.id,
        GroupDraft("Thursday Circle", meeting_weekday=3, place="Room 4"),
        expected_version=group.version,
    )
    assert (updated.name, updated.meeting_weekday, updated.place) == (
        "Thursday Circle",
        3,
        "Room 4",
    )
    assert updated.version == group.version + 1
    assert roster.get_group(group.id) == updated


def test_update_group_with_a_stale_version_is_refused_and_changes_nothing(
    roster: RosterService,
) -> None:
    group = _group(roster)
    newer = roster.update_group(group.id, GroupDraft("Renamed by someone else"))
    with pytest.raises(ChangedElsewhereError, match="changed by someone else"):
        roster.update_group(group.id, GroupDraft("My rename"), expected_version=group.version)
    assert roster.get_group(group.id) == newer


def test_archive_and_restore_group(roster: RosterService) -> None:
    kept = _group(roster, "Kept")
    old = _group(roster, "Old circle")

    roster.archive_group(old.id)
    assert [g.name for g in roster.list_groups()] == ["Kept"]
    everyone = roster.list_groups(include_archived=True)
    assert [(g.name, g.archived) for g in everyone] == [("Kept", False), ("Old circle", True)]
    assert roster.get_group(old.id).archived is True

    roster.restore_group(old.id)
    assert [g.name for g in roster.list_groups()] == ["Kept", "Old circle"]
    assert roster.get_group(old.id).archived is False
    assert roster.get_group(kept.id).archived is False


def test_list_groups_is_sorted_ignoring_case(roster: RosterService) -> None:
    for name in ["beta", "Alpha", "Ωmega", "gamma", "Delta"]:
        _group(roster, name)
    assert [g.name for g in roster.list_groups()] == ["Alpha", "beta", "Delta", "gamma", "Ωmega"]


def test_member_count_counts_only_members_who_are_not_archived(roster: RosterService) -> None:
    tuesday = _group(roster, "Tuesday")
    thursday = _group(roster, "Thursday")
    ann = _member(roster, "Ann", tuesday)
    _member(roster, "Bo", tuesday)
    roster.add_to_group(ann.id, thursday.id)
    _member(roster, "Not in a group")

    counts = {g.name: g.member_count for g in roster.list_groups()}
    assert counts == {"Tuesday": 2, "Thursday": 1}

    roster.archive_member(ann.id)
    counts = {g.name: g.member_count for g in roster.list_groups()}
    assert counts == {"Tuesday": 1, "Thursday": 0}
    assert roster.get_group(tuesday.id).member_count == 1
    assert roster.get_group(thursday.id).member_count == 0


@pytest.mark.parametrize("other", ["Tuesday Circle", "tuesday circle", "  TUESDAY CIRCLE  "])
def test_duplicate_group_names_are_refused_whatever_the_case(
    roster: RosterService, other: str
) -> None:
    _group(roster, "Tuesday Circle")
    with pytest.raises(ValidationError) as caught:
        roster.create_group(GroupDraft(other))
    assert caught.value.errors == {"name": "There is already a group called “Tuesday Circle”."}
    assert len(roster.list_groups(include_archived=True)) == 1


def test_an_archived_group_still_holds_its_name(roster: RosterService) -> None:
    old = _group(roster, "Tuesday Circle")
    roster.archive_group(old.id)
    with pytest.raises(ValidationError, match="already a group"):
        _group(roster, "tuesday circle")


def test_renaming_groups_checks_for_duplicates_but_not_against_itself(
    roster: RosterService,
) -> None:
    tuesday = _group(roster, "Tuesday Circle")
    thursday = _group(roster, "Thursday Circle")
    assert roster.update_group(tuesday.id, GroupDraft("TUESDAY circle")).name == "TUESDAY circle"
    with pytest.raises(ValidationError, match="already a group called “TUESDAY circle”"):
        roster.update_group(thursday.id, GroupDraft("Tuesday Circle"))
    assert roster.get_group(thursday.id).name == "Thursday Circle"


def test_find_group_ignores_case_and_spaces(roster: RosterService) -> None:
    group = _group(roster, "Łódź Circle")
    found = roster.find_group("  łÓDŹ circle ")
    assert found is not None and found.id == group.id
    assert roster.find_group("Warsaw Circle") is None


@pytest.mark.parametrize(
    ("draft", "field", "message"),
    [
        (GroupDraft("   "), "name", "Please enter a group name."),
        (GroupDraft("x" * 81), "name", "The group name is too long (81 characters; at most 80)."),
        (GroupDraft("Two\nlines"), "name", "one line"),
        (GroupDraft("Circle", meeting_weekday=7), "meeting_weekday", "day of the week"),
        (GroupDraft("Circle", meeting_weekday=-1), "meeting_weekday", "day of the week"),
        (GroupDraft("Circle", place="p" * 201), "place", "The place is too long"),
        (GroupDraft("Circle", agreements="a" * 10_001), "agreements", "too long"),
    ],
)
def test_group_validation_messages(
    roster: RosterService, draft: GroupDraft, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        roster.create_group(draft)
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]
    assert roster.list_groups(include_archived=True) == []


def test_group_name_at_the_limit_is_fine(roster: RosterService) -> None:
    assert roster.create_group(GroupDraft("g" * models.GROUP_NAME_MAX)).name == "g" * 80


# ---- members ------------------------------------------------------------------------------


def test_create_member_trims_every_text_field_and_keeps_the_rest(roster: RosterService) -> None:
    draft = MemberDraft(
        display_name="\t Sam \u00a0",
        full_name="  Sam Okafor ",
        pronouns=" they/them ",
        email=" sam@example.org ",
        phone=" +48 601 234 567 ",
        emergency_contact="  Jo (sister) 555 0101 ",
        joined_on=dt.date(2025, 3, 4),
        first_visit_on=dt.date(2025, 2, 25),
        status=MemberStatus.INACTIVE,
        may_contact=True,
    )
    created = roster.create_member(draft)
    assert created.to_draft() == MemberDraft(
        "Sam",
        "Sam Okafor",
        "they/them",
        "sam@example.org",
        "+48 601 234 567",
        "Jo (sister) 555 0101",
        dt.date(2025, 3, 4),
        dt.date(2025, 2, 25),
        MemberStatus.INACTIVE,
        True,
    )
    assert (created.archived, created.version, created.groups) == (False, 1, ())
    assert (created.role, created.seat) == (None, None)
    assert roster.get_member(created.id) == created


def test_new_member_defaults(roster: RosterService) -> None:
    created = _member(roster, "Ann")
    assert created.status is MemberStatus.ACTIVE
    assert created.may_contact is False
    assert (created.full_name, created.email, created.phone) == ("", "", "")
    assert (created.joined_on, created.first_visit_on) == (None, None)


def test_update_member_saves_and_bumps_version(roster: RosterService) -> None:
    ann = _member(roster, "Ann")
    draft = MemberDraft("Annie", pronouns="she/her", status=MemberStatus.ALUMNI)
    updated = roster.update_member(ann.id, draft, expected_version=ann.version)
    assert (updated.display_name, updated.pronouns, updated.status) == (
        "Annie",
        "she/her",
        MemberStatus.ALUMNI,
    )
    assert updated.version == ann.version + 1
    assert roster.get_member(ann.id) == updated


def test_an_invalid_update_changes_nothing(roster: RosterService) -> None:
    ann = roster.create_member(MemberDraft("Ann", email="ann@example.org"))
    with pytest.raises(ValidationError):
        roster.update_member(ann.id, MemberDraft("Ann", email="not an address"))
    assert roster.get_member(ann.id) == ann


def test_archive_and_restore_member(roster: RosterService) -> None:
    group = _group(roster)
    ann = _member(roster, "Ann", group)
    _member(roster, "Bo", group)

    roster.archive_member(ann.id)
    assert _names(roster.list_members()) == ["Bo"]
    assert _names(roster.list_members(group.id)) == ["Bo"]
    assert _names(roster.search_members("ann")) == []
    assert _names(roster.list_members(include_archived=True)) == ["Ann", "Bo"]
    assert _names(roster.search_members("ann", include_archived=True)) == ["Ann"]
    assert roster.get_member(ann.id).archived is True
    # Archiving keeps the membership: restoring brings Ann back to her seat.
    roster.restore_member(ann.id)
    assert roster.get_member(ann.id).archived is False
    assert _names(roster.list_members(group.id)) == ["Ann", "Bo"]


def test_list_members_sorts_everyone_by_name_ignoring_case_and_accents(
    roster: RosterService,
) -> None:
    for name in ["bo", "Zoë", "Ann", "Émile", "carl", "Ángel"]:
        _member(roster, name)
    assert _names(roster.list_members()) == ["Ángel", "Ann", "bo", "carl", "Émile", "Zoë"]


def test_create_member_in_a_missing_group_creates_nothing(roster: RosterService) -> None:
    with pytest.raises(NotFoundError):
        roster.create_member(MemberDraft("Ann"), group_id=MISSING_ID)
    assert roster.list_members(include_archived=True) == []


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda r: r.get_group(MISSING_ID), id="get_group"),
        pytest.param(lambda r: r.update_group(MISSING_ID, GroupDraft("X")), id="update_group"),
        pytest.param(lambda r: r.archive_group(MISSING_ID), id="archive_group"),
        pytest.param(lambda r: r.restore_group(MISSING_ID), id="restore_group"),
        pytest.param(lambda r: r.get_member(MISSING_ID), id="get_member"),
        pytest.param(lambda r: r.update_member(MISSING_ID, MemberDraft("X")), id="update_member"),
        pytest.param(lambda r: r.archive_member(MISSING_ID), id="archive_member"),
        pytest.param(lambda r: r.restore_member(MISSING_ID), id="restore_member"),
        pytest.param(lambda r: r.set_seating(MISSING_ID, []), id="set_seating"),
    ],
)
def test_missing_ids_raise_not_found(roster: RosterService, call: object) -> None:
    with pytest.raises(NotFoundError, match="no longer exists"):
        call(roster)  # type: ignore[operator]


def test_memberships_of_missing_people_or_groups_raise_not_found(roster: RosterService) -> None:
    group = _group(roster)
    ann = _member(roster, "Ann")
    with pytest.raises(NotFoundError):
        roster.add_to_group(MISSING_ID, group.id)
    with pytest.raises(NotFoundError):
        roster.add_to_group(ann.id, MISSING_ID)
    with pytest.raises(NotFoundError, match="not in this group"):
        roster.set_role(ann.id, group.id, Role.CO_FACILITATOR)
    assert roster.list_members(group.id) == []


# ---- memberships --------------------------------------------------------------------------


def test_a_member_can_belong_to_several_groups(roster: RosterService) -> None:
    zeta = _group(roster, "Zeta Circle")
    alpha = _group(roster, "alpha circle")
    ann = _member(roster, "Ann", zeta)
    roster.add_to_group(ann.id, alpha.id, Role.CO_FACILITATOR)

    assert roster.get_member(ann.id).groups == ("alpha circle", "Zeta Circle")
    assert [(g.name, role) for g, role in roster.groups_of(ann.id)] == [
        ("alpha circle", Role.CO_FACILITATOR),
        ("Zeta Circle", Role.MEMBER),
    ]
    assert [m.role for m in roster.list_members(alpha.id)] == [Role.CO_FACILITATOR]
    assert [m.role for m in roster.list_members(zeta.id)] == [Role.MEMBER]
    everyone = roster.list_members()
    assert _names(everyone) == ["Ann"]  # listed once, not once per group
    assert (everyone[0].role, everyone[0].seat) == (None, None)
    assert everyone[0].groups == ("alpha circle", "Zeta Circle")


def test_archived_groups_are_left_out_of_a_members_group_names(roster: RosterService) -> None:
    old = _group(roster, "Old circle")
    ann = _member(roster, "Ann", old)
    roster.archive_group(old.id)
    assert roster.get_member(ann.id).groups == ()
    assert [g.name for g, _ in roster.groups_of(ann.id)] == ["Old circle"]


def test_set_role_switches_between_member_and_co_facilitator(roster: RosterService) -> None:
    group = _group(roster)
    ann = _member(roster, "Ann", group)
    roster.set_role(ann.id, group.id, Role.CO_FACILITATOR)
    assert roster.list_members(group.id)[0].role is Role.CO_FACILITATOR
    roster.set_role(ann.id, group.id, Role.MEMBER)
    assert roster.list_members(group.id)[0].role is Role.MEMBER


def test_adding_twice_is_idempotent(roster: RosterService) -> None:
    group = _group(roster)
    ann = _member(roster, "Ann", group)
    _member(roster, "Bo", group)
    roster.add_to_group(ann.id, group.id)
    roster.add_to_group(ann.id, group.id)

    rows = roster.list_members(group.id)
    assert [(m.display_name, m.seat) for m in rows] == [("Ann", 0), ("Bo", 1)]
    assert roster.get_group(group.id).member_count == 2


def test_remove_from_group(roster: RosterService) -> None:
    tuesday = _group(roster, "Tuesday")
    thursday = _group(roster, "Thursday")
    ann = _member(roster, "Ann", tuesday)
    roster.add_to_group(ann.id, thursday.id)

    roster.remove_from_group(ann.id, tuesday.id)
    assert roster.list_members(tuesday.id) == []
    assert roster.get_member(ann.id).groups == ("Thursday",)
    # Removing someone who is not (or no longer) in the group is harmless.
    roster.remove_from_group(ann.id, tuesday.id)
    assert _names(roster.list_members(thursday.id)) == ["Ann"]
    assert roster.get_member(ann.id).archived is False  # removed from a group, not archived


# ---- seating ------------------------------------------------------------------------------


def _seating(roster: RosterService, group: GroupInfo) -> list[tuple[str, int | None]]:
    return [(m.display_name, m.seat) for m in roster.list_members(group.id)]


def test_new_members_are_seated_last(roster: RosterService) -> None:
    group = _group(roster)
    for name in ["Cy", "Ann", "Bo"]:
        _member(roster, name, group)
    dee = _member(roster, "Dee")
    roster.add_to_group(dee.id, group.id)
    assert _seating(roster, group) == [("Cy", 0), ("Ann", 1), ("Bo", 2), ("Dee", 3)]


def test_set_seating_reorders_and_keeps_the_unlisted_after_in_their_order(
    roster: RosterService,
) -> None:
    group = _group(roster)
    ann, bo, cy, dee = (_member(roster, n, group) for n in ["Ann", "Bo", "Cy", "Dee"])

    roster.set_seating(group.id, [dee.id, bo.id, ann.id, cy.id])
    assert _names(roster.list_members(group.id)) == ["Dee", "Bo", "Ann", "Cy"]

    roster.set_seating(group.id, [cy.id])
    assert _seating(roster, group) == [("Cy", 0), ("Dee", 1), ("Bo", 2), ("Ann", 3)]

    eve = _member(roster, "Eve", group)
    assert _names(roster.list_members(group.id))[-1] == "Eve"
    assert roster.list_members(group.id)[-1].id == eve.id


def test_set_seating_rejects_people_not_in_the_group_and_changes_nothing(
    roster: RosterService,
) -> None:
    group = _group(roster)
    other = _group(roster, "Other")
    ann, bo = (_member(roster, n, group) for n in ["Ann", "Bo"])
    outsider = _member(roster, "Outsider", other)
    before = _seating(roster, group)

    for ids in ([bo.id, MISSING_ID], [bo.id, outsider.id, ann.id]):
        with pytest.raises(NotFoundError, match="not in this group"):
            roster.set_seating(group.id, ids)
    assert _seating(roster, group) == before


# ---- search -------------------------------------------------------------------------------

NFD_NGUYEN = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
NFC_NGUYEN = unicodedata.normalize("NFC", NFD_NGUYEN)


@pytest.fixture
def searchable(roster: RosterService) -> RosterService:
    tuesday = _group(roster, "Tuesday Circle")
    thursday = _group(roster, "Ψυχή Thursday")
    people = [
        MemberDraft("Łukasz", full_name="Łukasz Żółkiewski"),
        MemberDraft("Наталья", full_name="Наталья Смирнова"),
        MemberDraft("Σοφία"),
        MemberDraft("Νικόλαος"),
        MemberDraft("Zoë", pronouns="she/her"),
        MemberDraft("Ines", full_name="Ines Straßer"),
        MemberDraft(NFD_NGUYEN),
        MemberDraft("Sam", email="Sam.Okafor@Example.org", phone="+48 601 234 567"),
    ]
    for draft in people:
        roster.create_member(draft, group_id=tuesday.id)
    roster.create_member(MemberDraft("Kai"), group_id=thursday.id)
    return roster


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("łukasz", ["Łukasz"]),
        ("ŻÓŁK", ["Łukasz"]),  # Polish capitals, in the full name
        ("НАТАЛЬЯ", ["Наталья"]),
        ("смирн", ["Наталья"]),
        ("ΣΟΦΊΑ", ["Σοφία"]),  # Greek capitals with tonos
        ("ΝΙΚΌΛΑΟΣ", ["Νικόλαος"]),  # capital sigma finds the final ς
        ("ZOË", ["Zoë"]),
        ("strasser", ["Ines"]),  # ß case-folds to ss
        (NFC_NGUYEN.lower(), [NFD_NGUYEN]),  # typed precomposed, stored decomposed
        (unicodedata.normalize("NFD", "ÁNH"), [NFD_NGUYEN]),
        ("example.ORG", ["Sam"]),
        ("sam.okafor@", ["Sam"]),
        ("601 234", ["Sam"]),
        ("SHE/HER", ["Zoë"]),
        ("ψυχή", ["Kai"]),  # by group name
        ("  kai  ", ["Kai"]),
        ("nobody like this", []),
    ],
)
def test_search_ignores_case_in_any_script(
    searchable: RosterService, query: str, expected: list[str]
) -> None:
    assert _names(searchable.search_members(query)) == expected


def test_search_by_group_name_finds_the_whole_group(searchable: RosterService) -> None:
    assert len(searchable.search_members("tuesday circle")) == 8
    tuesday = searchable.find_group("Tuesday Circle")
    assert tuesday is not None
    assert _names(searchable.search_members("kai", tuesday.id)) == []
    assert _names(searchable.search_members("zoë", tuesday.id)) == ["Zoë"]


def test_an_empty_search_lists_everyone(searchable: RosterService) -> None:
    assert searchable.search_members("   ") == searchable.list_members()
    assert len(searchable.search_members("")) == 9


def test_search_text_matches_a_typed_needle_however_accents_were_encoded() -> None:
    # The roster table filters with MemberRow.search_text(); both encodings must agree,
    # and a name can be found without typing its accents.
    assert fold_for_search(NFD_NGUYEN) == fold_for_search(NFC_NGUYEN) == "nguyen thi anh"
    assert fold_for_search("Łucja") == "łucja"  # ł is a letter of its own, not l + accent
    assert fold_for_search("ΣΟΦΊΑ") == fold_for_search("σοφία")
    assert fold_for_search("Straße") == "strasse"


# ---- validation through the service -------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "field", "message"),
    [
        (MemberDraft(""), "display_name", "Please enter a name."),
        (MemberDraft(" \t\u00a0 "), "display_name", "Please enter a name."),
        (
            MemberDraft("x" * 81),
            "display_name",
            "The name is too long (81 characters; at most 80).",
        ),
        (MemberDraft("Ann\nBo"), "display_name", "should be on one line"),
        (MemberDraft("Ann\u2028Bo"), "display_name", "should be on one line"),
        (MemberDraft("Ann", full_name="f" * 161), "full_name", "The full name is too long"),
        (MemberDraft("Ann", pronouns="p" * 41), "pronouns", "The pronouns text is too long"),
        (MemberDraft("Ann", email="ann@example"), "email", "doesn't look like an e-mail"),
        (MemberDraft("Ann", email="ann at example.org"), "email", "like name@example.org"),
        (MemberDraft("Ann", phone="call me"), "phone", "doesn't look like a phone number"),
        (MemberDraft("Ann", phone="12"), "phone", "doesn't look like a phone number"),
        (
            MemberDraft("Ann", emergency_contact="e" * 201),
            "emergency_contact",
            "The emergency contact is too long",
        ),
    ],
)
def test_member_validation_messages(
    roster: RosterService, draft: MemberDraft, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        roster.create_member(draft)
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]
    assert message in str(caught.value)
    assert roster.list_members(include_archived=True) == []


def test_every_problem_is_reported_at_once(roster: RosterService) -> None:
    with pytest.raises(ValidationError) as caught:
        roster.create_member(MemberDraft(" ", email="nope", phone="nope"))
    assert set(caught.value.errors) == {"display_name", "email", "phone"}


@pytest.mark.parametrize(
    "phone",
    [
        "+48 601 234 567",
        "(555) 010-0199 ext 12",
        "(555) 010-0199 Ext. 12",
        "555.010.0199",
        "+1 555 010 0199 x 3",
        "020 7946 0958",
        "112",
    ],
)
def test_good_phone_numbers_are_accepted_as_typed(roster: RosterService, phone: str) -> None:
    assert roster.create_member(MemberDraft("Ann", phone=f"  {phone} ")).phone == phone


def test_a_name_at_the_limit_is_fine(roster: RosterService) -> None:
    name = "ж" * models.DISPLAY_NAME_MAX
    assert roster.create_member(MemberDraft(name)).display_name == name


# ---- names in every script ----------------------------------------------------------------

NAMES = [
    "Zoë",
    "Łukasz Żółć",
    "Σοφία",
    "Наталья",
    "محمد",
    "王小明",
    "김민준",
    "Ngozi 🌻",
    "👩🏽‍🦱",
    NFD_NGUYEN,
    unicodedata.normalize("NFD", "Ñandú"),
    "ﬁona",  # a ligature: NFKC would turn it into "fiona"
    "A\u200dB",  # an invisible joiner stays too
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.sqlite_only  # SQLite's CAST AS BLOB; on a server: test_postgresql.py
def test_names_are_stored_byte_for_byte(roster: RosterService, db: Database, name: str) -> None:
    created = roster.create_member(MemberDraft(name, full_name=name))
    assert created.display_name == name
    assert roster.get_member(created.id).display_name == name
    assert _names(roster.list_members()) == [name]
    with db.session() as s:
        stored = s.execute(
            text("SELECT CAST(display_name AS BLOB), CAST(full_name AS BLOB) FROM members")
        ).one()
    assert tuple(stored) == (name.encode("utf-8"), name.encode("utf-8"))


def test_group_names_in_any_script_round_trip(roster: RosterService) -> None:
    name = unicodedata.normalize("NFD", "Vòng tròn Thứ Ba")
    group = _group(roster, name)
    assert roster.get_group(group.id).name == name
    assert roster.find_group(name) is not None


_ONE_LINE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=models.DISPLAY_NAME_MAX,
).filter(lambda s: s.strip())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=_ONE_LINE_TEXT)
def test_any_one_line_name_round_trips_after_strip(roster: RosterService, name: str) -> None:
    created = roster.create_member(MemberDraft(name))
    assert created.display_name == name.strip()
    assert roster.get_member(created.id).display_name == name.strip()


# ---- concurrency --------------------------------------------------------------------------


def test_stale_expected_version_is_refused_and_nothing_is_overwritten(
    roster: RosterService,
) -> None:
    ann = _member(roster, "Ann")
    newer = roster.update_member(ann.id, MemberDraft("Ann B."))
    with pytest.raises(ChangedElsewhereError) as caught:
        roster.update_member(ann.id, MemberDraft("Annie"), expected_version=ann.version)
    assert "This member was changed by someone else" in str(caught.value)
    assert "not saved" in str(caught.value)
    assert roster.get_member(ann.id) == newer


@pytest.fixture
def second_roster(db: Database, data_dir: Path) -> Iterator[RosterService]:
    """Another RosterService on its own Database on the same file, like a second window."""
    other = open_database(database_path(data_dir))
    yield RosterService(other)
    other.close()


@pytest.mark.sqlite_only  # on a server: test_postgresql.py
def test_two_windows_editing_the_same_member_second_save_is_refused(
    roster: RosterService, second_roster: RosterService
) -> None:
    ann = _member(roster, "Ann")
    opened_here = roster.get_member(ann.id)
    opened_there = second_roster.get_member(ann.id)

    saved = second_roster.update_member(
        ann.id, MemberDraft("Ann (there)"), expected_version=opened_there.version
    )
    with pytest.raises(ChangedElsewhereError):
        roster.update_member(
            ann.id, MemberDraft("Ann (here)"), expected_version=opened_here.version
        )
    assert roster.get_member(ann.id) == saved
    assert second_roster.get_member(ann.id).display_name == "Ann (there)"


@pytest.mark.sqlite_only  # on a server: test_postgresql.py
def test_a_save_racing_another_window_is_refused_not_a_database_error(
    roster: RosterService, second_roster: RosterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: the second writer read the row, the first committed, and the second's
    # UPDATE failed with a raw "database is locked" (SQLITE_BUSY_SNAPSHOT) error.
    ann = _member(roster, "Ann")
    apply_member = roster_module.apply_member
    raced = []

    def other_window_saves_first(member: models.Member, draft: MemberDraft) -> None:
        if not raced:
            raced.append(True)
            second_roster.update_member(ann.id, MemberDraft("Ann (there)"))
        apply_member(member, draft)

    monkeypatch.setattr(roster_module, "apply_member", other_window_saves_first)
    with pytest.raises(ChangedElsewhereError):
        roster.update_member(ann.id, MemberDraft("Ann (here)"), expected_version=ann.version)
    monkeypatch.undo()

    assert raced == [True]
    now = roster.get_member(ann.id)
    assert (now.display_name, now.version) == ("Ann (there)", 2)
    # The refused window can reload and save normally afterwards.
    saved = roster.update_member(ann.id, MemberDraft("Ann (here)"), expected_version=2)
    assert (saved.display_name, saved.version) == ("Ann (here)", 3)


@pytest.mark.sqlite_only  # on a server: test_postgresql.py
def test_group_edits_from_two_windows(roster: RosterService, second_roster: RosterService) -> None:
    group = _group(roster)
    second_roster.update_group(group.id, GroupDraft("Renamed there"))
    with pytest.raises(ChangedElsewhereError, match="This group was changed"):
        roster.update_group(group.id, GroupDraft("Renamed here"), expected_version=group.version)
    assert roster.get_group(group.id).name == "Renamed there"
