"""Every table/list model through pytest-qt's qtmodeltester, plus sorting and filtering."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from peercircle.db.models import MemberStatus, Role
from peercircle.services.roster import GroupInfo, MemberRow
from peercircle.ui.groups.group_list_model import GroupIdRole, GroupListModel
from peercircle.ui.roster.filter_proxy import RosterFilterProxy
from peercircle.ui.roster.membership_model import MembershipTableModel
from peercircle.ui.roster.table_model import (
    GROUP_COLUMNS,
    MemberIdRole,
    RosterTableModel,
)


def member(i: int, name: str, **kw: object) -> MemberRow:
    values: dict[str, object] = dict(
        id=i,
        display_name=name,
        full_name="",
        pronouns="",
        email="",
        phone="",
        emergency_contact="",
        joined_on=None,
        first_visit_on=None,
        status=MemberStatus.ACTIVE,
        may_contact=False,
        archived=False,
        version=1,
    )
    values.update(kw)
    return MemberRow(**values)  # type: ignore[arg-type]


def group(i: int, name: str, archived: bool = False) -> GroupInfo:
    return GroupInfo(i, name, 1, dt.time(18, 30), "Library", "", archived, 3, 1)


PEOPLE = [
    member(1, "Zofia", pronouns="she/her", email="zofia@example.org", groups=("Tuesday",)),
    member(2, "Ángel", joined_on=dt.date(2025, 3, 1), groups=("Tuesday", "Friday")),
    member(3, "Ангелина", phone="+48 601 234 567"),
    member(4, "Νίκος", archived=True),
    member(5, "Hiền", email="hien@example.org", role=Role.CO_FACILITATOR, seat=0),
]


@pytest.fixture
def roster_model() -> RosterTableModel:
    model = RosterTableModel()
    model.set_members(PEOPLE)
    return model


def test_roster_model_passes_modeltester(qtmodeltester, roster_model: RosterTableModel) -> None:
    qtmodeltester.check(roster_model, force_py=True)


def test_roster_proxy_passes_modeltester(qtmodeltester, roster_model: RosterTableModel) -> None:
    proxy = RosterFilterProxy()
    proxy.setSourceModel(roster_model)
    proxy.set_search_text("an")
    qtmodeltester.check(proxy, force_py=True)


def test_group_list_model_passes_modeltester(qtmodeltester) -> None:
    model = GroupListModel()
    model.set_groups([group(1, "Tuesday Circle"), group(2, "Old circle", archived=True)], 12)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert model.index(0).data() == "All members"
    assert model.index(0).data(GroupIdRole) is None
    assert model.index(2).data() == "Old circle (archived)"
    assert model.row_of(2) == 2


def test_membership_model_passes_modeltester_and_toggles(qtmodeltester) -> None:
    model = MembershipTableModel([group(1, "Tuesday"), group(2, "Friday")], {1: Role.MEMBER})
    qtmodeltester.check(model, force_py=True)
    co_friday = model.index(1, 1)
    assert not model.flags(co_friday) & Qt.ItemFlag.ItemIsEnabled  # not in Friday yet
    assert not model.setData(co_friday, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    model.setData(model.index(1, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    model.setData(co_friday, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.memberships() == {1: Role.MEMBER, 2: Role.CO_FACILITATOR}
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.memberships() == {2: Role.CO_FACILITATOR}


def names(proxy: RosterFilterProxy) -> list[str]:
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["Zofia", "Ángel", "Ангелина", "Νίκος", "Hiền"]),
        ("ZOF", ["Zofia"]),
        ("ангел", ["Ангелина"]),  # Cyrillic, any case
        ("νίκ", ["Νίκος"]),  # Greek
        ("ánG", ["Ángel"]),
        ("angel", ["Ángel"]),  # accents need not be typed
        ("example.org", ["Zofia", "Hiền"]),  # e-mail
        ("601 234", ["Ангелина"]),  # phone
        ("friday", ["Ángel"]),  # group name
        ("she/her", ["Zofia"]),
        ("  hiền ", ["Hiền"]),  # surrounding spaces ignored
        ("nobody", []),
    ],
)
def test_filter_matches_any_field_in_any_script(
    roster_model: RosterTableModel, text: str, expected: list[str]
) -> None:
    proxy = RosterFilterProxy()
    proxy.setSourceModel(roster_model)
    proxy.set_search_text(text)
    assert names(proxy) == expected


def test_sorting_is_delegated_to_source_and_keeps_filter(roster_model: RosterTableModel) -> None:
    proxy = RosterFilterProxy()
    proxy.setSourceModel(roster_model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    # Accents are folded for sorting, so “Ángel” sits with the A's.
    assert names(proxy) == ["Ángel", "Hiền", "Zofia", "Νίκος", "Ангелина"]
    proxy.set_search_text("day")  # in the group names “Tuesday” and “Friday”
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    shown = names(proxy)
    assert shown == ["Zofia", "Ángel"]
    # A reload keeps the chosen order.
    roster_model.set_members(list(reversed(PEOPLE)))
    assert names(proxy) == shown


def test_joined_sorts_by_date_with_unknown_last(roster_model: RosterTableModel) -> None:
    roster_model.set_members(
        [
            member(1, "A", joined_on=dt.date(2026, 1, 5)),
            member(2, "B"),
            member(3, "C", joined_on=dt.date(2024, 7, 1)),
        ],
        GROUP_COLUMNS,
    )
    joined = [c.title for c in GROUP_COLUMNS].index("Joined")
    roster_model.sort(joined, Qt.SortOrder.AscendingOrder)
    order = [roster_model.index(r, 0).data(MemberIdRole) for r in range(3)]
    assert order == [3, 1, 2]


def test_archived_members_are_marked(roster_model: RosterTableModel) -> None:
    row = roster_model.row_of(4)
    assert row is not None
    status_col = roster_model.columnCount() - 1
    assert roster_model.index(row, status_col).data() == "Active · archived"
    assert roster_model.index(row, 0).data(Qt.ItemDataRole.FontRole).italic()


def test_a_selected_member_stays_selected_when_the_table_is_sorted(
    roster_model: RosterTableModel,
) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(roster_model.index(0, 0))  # Zofia, first as they came
    assert kept.data(MemberIdRole) == 1
    roster_model.sort(0, Qt.SortOrder.AscendingOrder)
    assert kept.data(MemberIdRole) == 1
    assert kept.row() == 2  # after Ángel and Hiền
    roster_model.sort(-1, Qt.SortOrder.AscendingOrder)
    assert (kept.row(), kept.data(MemberIdRole)) == (0, 1)
