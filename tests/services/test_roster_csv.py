"""Roster CSV import (preview + all-or-nothing commit) and export, with real-looking files."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peercircle.db import Database, open_database
from peercircle.db.models import Group, Member
from peercircle.domain import MemberStatus, Role
from peercircle.paths import database_path
from peercircle.services import roster_csv
from peercircle.services.roster import (
    GroupDraft,
    MemberDraft,
    MemberRow,
    NotFoundError,
    RosterService,
    member_errors,
)
from peercircle.services.roster_csv import (
    ImportAction,
    ImportOutdatedError,
    ImportPreview,
    PreviewRow,
    RosterField,
    RosterFileError,
    RosterImportError,
    commit_roster_import,
    export_roster_csv,
    preview_roster_import,
    read_roster_file,
)
from peercircle.services.roster_csv_parsing import field_for_header, parse_date

GROUP = "Tuesday Circle"

# Invented people whose names exercise many scripts, apostrophes, hyphens and emoji.
MANY_SCRIPTS = [
    "Zoë",
    "José Núñez",
    "Renée O'Brien-Okafor",
    "Małgorzata Żółkiewska",
    "Ελένη Παπαδοπούλου",
    "Анастасия Соколова",
    "Іванна Мельник",
    "Nguyễn Thị Thảo",
    "王小雨",
    "佐藤さくら",
    "김지우",
    "ليلى حداد",
    "अनन्या शर्मा",
    "Jo 🌻",
    "Ma\u0301ria",  # combining accent (as a Mac may write it): must not be normalised
    "Søren Øverland",
]


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "roster.csv") -> Path:
    """Write ``text`` the way a spreadsheet would: line ends as given, no translation."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def preview_file(db: Database, path: Path, group: str = GROUP) -> ImportPreview:
    return preview_roster_import(db, read_roster_file(path), group)


def import_file(db: Database, path: Path, group: str = GROUP) -> ImportPreview:
    preview = preview_file(db, path, group)
    commit_roster_import(db, preview)
    return preview


def by_row(preview: ImportPreview) -> dict[int, PreviewRow]:
    return {row.row_number: row for row in preview.rows}


def member_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Member)) or 0


def group_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Group)) or 0


def group_members(roster: RosterService, name: str = GROUP) -> list[MemberRow]:
    group = roster.find_group(name)
    assert group is not None
    return roster.list_members(group.id)


# ---- reading real-looking files -----------------------------------------------------------


def test_utf8_bom_comma_crlf_adds_members_and_creates_the_group(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "\ufeffName,Pronouns,E-mail,Phone,Joined\r\n"
        "Zoë,she/her,zoe@example.org,555-0101,2024-03-05\r\n"
        "Sam,they/them,,,\r\n",
    )
    preview = preview_file(db, path)
    assert (preview.encoding, preview.delimiter) == ("UTF-8 with BOM", ",")
    assert preview.creates_group and preview.group_id is None
    assert [(r.row_number, r.action) for r in preview.rows] == [
        (2, ImportAction.ADD),
        (3, ImportAction.ADD),
    ]
    assert group_count(db) == 0, "a preview writes nothing"

    result = commit_roster_import(db, preview)
    assert (result.added, result.group_created, result.group_name) == (2, True, GROUP)
    zoe, sam = group_members(roster)
    assert (zoe.display_name, zoe.pronouns, zoe.email, zoe.phone) == (
        "Zoë",
        "she/her",
        "zoe@example.org",
        "555-0101",
    )
    assert zoe.joined_on == dt.date(2024, 3, 5)
    assert (zoe.seat, sam.seat) == (0, 1)
    assert zoe.role is Role.MEMBER and zoe.status is MemberStatus.ACTIVE


def test_semicolons_and_windows_1252_as_european_excel_saves_them(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Vorname;Nachname;E-Mail;Telefon\r\n"
        "Zoë;Dubois;zoe@example.org;+49 555 0101\r\n"
        "José;Núñez;;\r\n"
        "Renée;O'Brien-Okafor;;\r\n",
        encoding="cp1252",
    )
    preview = preview_file(db, path)
    assert (preview.encoding, preview.delimiter, preview.delimiter_name) == (
        "Windows-1252",
        ";",
        "semicolon",
    )
    commit_roster_import(db, preview)
    assert [m.display_name for m in group_members(roster)] == [
        "Zoë Dubois",
        "José Núñez",
        "Renée O'Brien-Okafor",
    ]


def test_utf16_tab_separated_unicode_text_export(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    lines = ["Name\tE-mail"] + [f"{name}\tp{i}@example.org" for i, name in enumerate(MANY_SCRIPTS)]
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
    preview = preview_file(db, path)
    assert (preview.encoding, preview.delimiter) == ("UTF-16", "\t")
    commit_roster_import(db, preview)
    assert [m.display_name for m in group_members(roster)] == MANY_SCRIPTS


def test_utf8_without_bom_lf_only(db: Database, tmp_path: Path) -> None:
    preview = preview_file(db, write(tmp_path, "name\nΕλένη\nДмитрий\n"))
    assert preview.encoding == "UTF-8"
    assert [r.display_name for r in preview.rows] == ["Ελένη", "Дмитрий"]


def test_quoted_cells_keep_delimiters_and_line_breaks_and_rows_count_like_a_spreadsheet(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Name,Emergency contact,Pronouns\r\n"
        '"Okafor, Ada","Partner: Sam\nphone 555-0142",she/her\r\n'
        "\r\n"
        ",,\r\n"
        '"Theo ""Teddy"" Ashdown",,he/him\r\n',
    )
    preview = preview_file(db, path)
    assert [(r.row_number, r.display_name) for r in preview.rows] == [
        (2, "Okafor, Ada"),
        (5, 'Theo "Teddy" Ashdown'),
    ], "blank rows are skipped but still counted, a multi-line cell is one row"
    commit_roster_import(db, preview)
    ada = group_members(roster)[0]
    assert ada.emergency_contact == "Partner: Sam\nphone 555-0142"


def test_excel_sep_line_names_the_delimiter(db: Database, tmp_path: Path) -> None:
    preview = preview_file(db, write(tmp_path, "sep=;\r\nName;Phone\r\nLeo, Jr;555-0101\r\n"))
    assert preview.delimiter == ";"
    assert [(r.row_number, r.display_name) for r in preview.rows] == [(2, "Leo, Jr")]


def test_commas_inside_semicolon_separated_cells_do_not_confuse_detection(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "Name;Notes\r\nOkafor, Ada;x\r\nLee, Jo;a, b, c\r\n")
    preview = preview_file(db, path)
    assert preview.delimiter == ";"
    assert [r.display_name for r in preview.rows] == ["Okafor, Ada", "Lee, Jo"]


def test_utf16_without_a_byte_order_mark(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "no-bom.txt"
    path.write_bytes("Name\tPhone\r\nΕλένη\t555-0101\r\n".encode("utf-16-le"))
    preview = preview_file(db, path)
    assert (preview.encoding, preview.delimiter) == ("UTF-16", "\t")
    assert preview.rows[0].display_name == "Ελένη"


def test_names_are_trimmed_but_otherwise_kept_exactly(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(tmp_path, "Name\n" + "".join(f"  {name}\u00a0 \n" for name in MANY_SCRIPTS))
    import_file(db, path)
    names = [m.display_name for m in group_members(roster)]
    assert [n.encode() for n in names] == [n.encode() for n in MANY_SCRIPTS]


# ---- headings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Name", RosterField.DISPLAY_NAME),
        ("Display name", RosterField.DISPLAY_NAME),
        ("PREFERRED_NAME", RosterField.DISPLAY_NAME),
        ("Nickname", RosterField.DISPLAY_NAME),
        ("Goes by", RosterField.DISPLAY_NAME),
        ("Member", RosterField.DISPLAY_NAME),
        ("Participant", RosterField.DISPLAY_NAME),
        ("Full name", RosterField.FULL_NAME),
        ("Legal name", RosterField.FULL_NAME),
        ("First name", RosterField.FIRST_NAME),
        ("firstname", RosterField.FIRST_NAME),
        ("Given name", RosterField.FIRST_NAME),
        ("Forename", RosterField.FIRST_NAME),
        ("First", RosterField.FIRST_NAME),
        ("Imię", RosterField.FIRST_NAME),
        ("Vorname", RosterField.FIRST_NAME),
        ("Prénom", RosterField.FIRST_NAME),
        ("Nombre", RosterField.FIRST_NAME),
        ("Last name", RosterField.LAST_NAME),
        ("Surname", RosterField.LAST_NAME),
        ("Family-name", RosterField.LAST_NAME),
        ("Last", RosterField.LAST_NAME),
        ("Nazwisko", RosterField.LAST_NAME),
        ("Nachname", RosterField.LAST_NAME),
        ("Nom", RosterField.LAST_NAME),
        ("Apellido", RosterField.LAST_NAME),
        ("pronouns", RosterField.PRONOUNS),
        ("E-mail", RosterField.EMAIL),
        ("e.mail", RosterField.EMAIL),
        ("Email address", RosterField.EMAIL),
        ("Mail", RosterField.EMAIL),
        ("Phone", RosterField.PHONE),
        ("Telephone", RosterField.PHONE),
        ("Mobile", RosterField.PHONE),
        ("Cell", RosterField.PHONE),
        ("Phone number", RosterField.PHONE),
        ("Tel.", RosterField.PHONE),
        ("Teléfono", RosterField.PHONE),
        ("Emergency contact", RosterField.EMERGENCY_CONTACT),
        ("Joined", RosterField.JOINED),
        ("Join date", RosterField.JOINED),
        ("Joined on", RosterField.JOINED),
        ("Member since", RosterField.JOINED),
        ("Start date", RosterField.JOINED),
        ("Status", RosterField.STATUS),
        ("May contact", RosterField.MAY_CONTACT),
        ("Consent", RosterField.MAY_CONTACT),
        ("Role", RosterField.ROLE),
        ("Shoe size", None),
        ("", None),
    ],
)
def test_headings_are_matched_loosely(heading: str, expected: RosterField | None) -> None:
    assert field_for_header(heading) is expected


def test_unknown_columns_are_ignored_and_listed_with_the_mapping(
    db: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "Goes by,Shoe size,E_mail,Favourite tea,Name\nKai,44,kai@example.org,mint,K\n"
    )
    preview = preview_file(db, path)
    assert preview.column_mapping == {
        "Goes by": RosterField.DISPLAY_NAME,
        "E_mail": RosterField.EMAIL,
    }
    assert preview.ignored_columns == ["Shoe size", "Favourite tea", "Name"]
    assert preview.rows[0].display_name == "Kai"


def test_first_and_last_name_columns_make_the_display_name(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "First name,Last name\r\nMaya,Penrose\r\nRobin,\r\n,Fairweather\r\n",
    )
    import_file(db, path)
    assert [m.display_name for m in group_members(roster)] == [
        "Maya Penrose",
        "Robin",
        "Fairweather",
    ]


def test_preferred_name_with_first_and_last_fills_the_full_name(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(tmp_path, "Preferred name;First name;Last name\nSam;Samantha;Okafor\n;Leo;Quill\n")
    import_file(db, path)
    sam, leo = group_members(roster)
    assert (sam.display_name, sam.full_name) == ("Sam", "Samantha Okafor")
    assert (leo.display_name, leo.full_name) == ("Leo Quill", "")


def test_a_file_with_only_full_names_uses_them(db: Database, tmp_path: Path) -> None:
    preview = preview_file(db, write(tmp_path, "Full name,Email\nHazel Whitlock,\n"))
    assert preview.rows[0].display_name == "Hazel Whitlock"


def test_a_file_without_a_name_column_is_refused_naming_the_columns_found(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "E-mail;Telefon;Notes\r\nzoe@example.org;555-0101;x\r\n")
    with pytest.raises(RosterFileError) as caught:
        preview_file(db, path)
    message = str(caught.value)
    assert "name" in message.lower()
    assert "“E-mail”, “Telefon”, “Notes”" in message
    assert member_count(db) == 0


# ---- files that are not rosters --------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00\x90\x04\x00\x00"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\r\n  \r\n", "empty"),
        (codecs.BOM_UTF16_LE, "empty"),
        (b";;;\r\n;;\r\n", "empty"),
        (PNG, "doesn't look like a CSV"),
        (XLSX, "workbook"),
        (bytes(range(1, 32)) * 20, "doesn't look like a CSV"),
        (b"Name\r\n\x81\x8d\x8f\x90\x9d", "doesn't look like a CSV"),
    ],
)
def test_files_that_are_not_text_are_refused_and_nothing_is_imported(
    db: Database, tmp_path: Path, data: bytes, words: str
) -> None:
    path = tmp_path / "not-a-roster.csv"
    path.write_bytes(data)
    with pytest.raises(RosterFileError, match=words):
        preview_file(db, path)
    assert member_count(db) == 0


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RosterFileError, match="Could not read"):
        read_roster_file(tmp_path / "nowhere.csv")


# ---- rows that are rejected ------------------------------------------------------------------


def test_empty_names_bad_values_and_repeats_are_rejected_with_reasons(
    db: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Name,E-mail,Phone,Joined,Status,May contact\r\n"
        "Ivy,ivy@example.org,,,,\r\n"  # 2
        ",nobody@example.org,,,,\r\n"  # 3
        "Noah,noah@,,,,\r\n"  # 4
        "Grace,,call me,,,\r\n"  # 5
        "Felix,,,next Tuesday,,\r\n"  # 6
        "Leo,,,,sleeping,\r\n"  # 7
        "Theo,,,,,maybe\r\n"  # 8
        "Ivy Two,IVY@example.org,,,,\r\n"  # 9: same e-mail as row 2
        "Ivy,,,,,\r\n"  # 10: same name as row 2
        "Ivy,other@example.org,,,,\r\n"  # 11: same name, but both rows have different e-mails
        "Noah,noah@example.org,,,,\r\n",  # 12: row 4 was rejected, so this is fine
    )
    rows = by_row(preview_file(db, path))
    assert rows[2].action is ImportAction.ADD
    assert (rows[3].action, rows[3].reason) == (ImportAction.REJECT, "No name.")
    email_message = member_errors(MemberDraft("Noah", email="noah@"))["email"]
    assert (rows[4].action, rows[4].reason) == (ImportAction.REJECT, email_message)
    assert rows[5].reason == member_errors(MemberDraft("Grace", phone="call me"))["phone"]
    assert "joined date “next Tuesday”" in rows[6].reason
    assert "active, inactive or alumni" in rows[7].reason
    assert "yes or no" in rows[8].reason
    assert rows[9].reason == "Same person as row 2."
    assert rows[10].reason == "Same person as row 2."
    assert rows[11].action is ImportAction.ADD
    assert rows[12].action is ImportAction.ADD
    assert all(rows[n].action is ImportAction.REJECT for n in range(3, 11))


def test_a_name_shared_by_two_existing_members_is_rejected(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    roster.create_member(MemberDraft("Sam"))
    roster.create_member(MemberDraft("Sam"))
    rows = by_row(preview_file(db, write(tmp_path, "Name\nSam\n")))
    assert rows[2].action is ImportAction.REJECT
    assert rows[2].reason == "2 members are called “Sam”; add an e-mail to tell them apart."


def test_two_rows_matching_the_same_member_are_one_person(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    roster.create_member(MemberDraft("Robin", email="robin@example.org"))
    path = write(tmp_path, "Name,E-mail\nRobbie,robin@example.org\nRobin,\n")
    rows = by_row(preview_file(db, path))
    assert rows[2].action is ImportAction.UPDATE
    assert (rows[3].action, rows[3].reason) == (ImportAction.REJECT, "Same person as row 2.")


# ---- matching and updating existing members ----------------------------------------------------


def test_existing_members_are_matched_by_email_then_name_and_updated_without_blanking(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    ada = roster.create_member(
        MemberDraft("Ada", email="ada@example.org", phone="555-0100", pronouns="she/her")
    )
    ben = roster.create_member(MemberDraft("Ben", phone="555-0102", may_contact=True))
    path = write(
        tmp_path,
        "Name;E-mail;Phone;Pronouns;May contact\r\n"
        "Ada Lovelock;ADA@example.org;;;yes\r\n"
        "Ben;;555-0199;;\r\n",
    )
    preview = preview_file(db, path)
    rows = by_row(preview)
    assert (rows[2].action, rows[2].member_id) == (ImportAction.UPDATE, ada.id)
    assert rows[2].changes == (RosterField.DISPLAY_NAME, RosterField.MAY_CONTACT)
    assert rows[3].changes == (RosterField.PHONE,)
    assert "Changes phone" in rows[3].reason and GROUP in rows[3].reason
    commit_roster_import(db, preview)

    ada_after = roster.get_member(ada.id)
    assert ada_after.display_name == "Ada Lovelock"
    assert (ada_after.email, ada_after.phone, ada_after.pronouns) == (
        "ada@example.org",
        "555-0100",
        "she/her",
    ), "empty cells never blank stored data; e-mail case differences are the same address"
    assert ada_after.may_contact is True
    assert ada_after.version == ada.version + 1
    ben_after = roster.get_member(ben.id)
    assert (ben_after.phone, ben_after.may_contact) == ("555-0199", True)
    assert ben_after.groups == (GROUP,)
    assert member_count(db) == 2


def test_a_namesake_with_a_different_email_is_a_different_person(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    roster.create_member(MemberDraft("Alex", email="alex.one@example.org"))
    rows = by_row(preview_file(db, write(tmp_path, "Name,E-mail\nAlex,alex.two@example.org\n")))
    assert rows[2].action is ImportAction.ADD
    assert "different e-mail" in rows[2].reason


def test_unchanged_members_already_in_the_group(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    group = roster.create_group(GroupDraft(GROUP))
    roster.create_member(MemberDraft("Ivy", phone="555-0101"), group_id=group.id)
    preview = preview_file(db, write(tmp_path, "Name,Phone\nIvy,555-0101\n"), "tuesday circle")
    assert preview.group_id == group.id and preview.group_name == GROUP
    assert preview.rows[0].action is ImportAction.UNCHANGED
    assert not preview.has_changes
    result = commit_roster_import(db, preview)
    assert (result.unchanged, result.group_created) == (1, False)


def test_matched_members_join_the_group_at_the_end_of_the_circle(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    group = roster.create_group(GroupDraft(GROUP))
    first = roster.create_member(MemberDraft("Hazel"), group_id=group.id)
    other = roster.create_member(MemberDraft("Felix"))
    rows = by_row(preview_file(db, write(tmp_path, "Name\nFelix\nNoor\n")))
    assert rows[2].action is ImportAction.UPDATE and rows[2].joins_group
    assert rows[2].changes == ()
    import_file(db, write(tmp_path, "Name\nFelix\nNoor\n"))
    assert [(m.id, m.seat) for m in roster.list_members(group.id)][:2] == [
        (first.id, 0),
        (other.id, 1),
    ]
    assert [m.display_name for m in roster.list_members(group.id)] == ["Hazel", "Felix", "Noor"]


def test_archived_members_are_restored_and_the_preview_says_so(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    theo = roster.create_member(MemberDraft("Theo", email="theo@example.org"))
    roster.archive_member(theo.id)
    preview = preview_file(db, write(tmp_path, "Name,E-mail\nTheo,theo@example.org\n"))
    row = preview.rows[0]
    assert (row.action, row.restores) == (ImportAction.UPDATE, True)
    assert "archive" in row.reason
    commit_roster_import(db, preview)
    assert roster.get_member(theo.id).archived is False


def test_status_consent_and_role_values_are_read_loosely(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Name,Status,Consent,Role\n"
        "A,Active,Y,Co-facilitator\n"
        "B,INACTIVE,0,member\n"
        "C,alumni,x,\n"
        "D,,FALSE,\n",
    )
    import_file(db, path)
    got = [(m.status, m.may_contact, m.role) for m in group_members(roster)]
    assert got == [
        (MemberStatus.ACTIVE, True, Role.CO_FACILITATOR),
        (MemberStatus.INACTIVE, False, Role.MEMBER),
        (MemberStatus.ALUMNI, True, Role.MEMBER),
        (MemberStatus.ACTIVE, False, Role.MEMBER),
    ]


def test_a_role_change_for_someone_already_in_the_group_is_an_update(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    group = roster.create_group(GroupDraft(GROUP))
    kai = roster.create_member(MemberDraft("Kai"), group_id=group.id)
    preview = import_file(db, write(tmp_path, "Name,Role\nKai,co-facilitator\n"))
    assert preview.rows[0].changes == (RosterField.ROLE,)
    assert roster.list_members(group.id)[0].role is Role.CO_FACILITATOR
    assert roster.get_member(kai.id).version == kai.version, "the member row itself is untouched"


# ---- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2024-03-05", "2023/12/01"], [dt.date(2024, 3, 5), dt.date(2023, 12, 1)]),
        (["05.03.2024", "1.2.2023"], [dt.date(2024, 3, 5), dt.date(2023, 2, 1)]),
        (["5/3/2024", "25/12/2023"], [dt.date(2024, 3, 5), dt.date(2023, 12, 25)]),
        (["5/3/2024", "12/25/2023"], [dt.date(2024, 5, 3), dt.date(2023, 12, 25)]),
        (["5/3/2024", "1/2/2023"], [dt.date(2024, 3, 5), dt.date(2023, 2, 1)]),
        (["2024-03-05 00:00:00", "07/03/2024"], [dt.date(2024, 3, 5), dt.date(2024, 3, 7)]),
    ],
)
def test_joined_dates_in_common_orders_decided_per_column(
    db: Database, roster: RosterService, tmp_path: Path, values: list[str], expected: list[dt.date]
) -> None:
    text = "Name,Joined\n" + "".join(f"P{i},{v}\n" for i, v in enumerate(values))
    import_file(db, write(tmp_path, text))
    assert [m.joined_on for m in group_members(roster)] == expected


@pytest.mark.parametrize("value", ["31/31/2024", "2024-02-30", "5/3/24", "March 5th", "45123"])
def test_unreadable_dates_reject_the_row(db: Database, tmp_path: Path, value: str) -> None:
    rows = by_row(preview_file(db, write(tmp_path, f"Name,Joined\nZoë,{value}\nSam,\n")))
    assert rows[2].action is ImportAction.REJECT and value in rows[2].reason
    assert rows[3].action is ImportAction.ADD


def test_parse_date_rejects_text() -> None:
    with pytest.raises(ValueError):
        parse_date("soon")
    assert parse_date("  ") is None


# ---- the commit is all or nothing ------------------------------------------------------------


def test_a_failure_during_the_commit_writes_nothing(
    db: Database, roster: RosterService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster.create_member(MemberDraft("Ada", email="ada@example.org"))
    path = write(tmp_path, "Name,E-mail,Phone\nAda,ada@example.org,555-0101\nNew One,,\n")
    preview = preview_file(db, path)

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(roster_csv, "_insert_memberships", fail)
    with pytest.raises(OSError, match="disk full"):
        commit_roster_import(db, preview)
    assert member_count(db) == 1 and group_count(db) == 0
    assert roster.list_members()[0].phone == ""

    monkeypatch.undo()
    assert commit_roster_import(db, preview).added == 1
    assert member_count(db) == 2


def test_changes_after_the_preview_make_the_commit_refuse(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    preview = preview_file(db, write(tmp_path, "Name\nMaya\nLeo\n"))
    roster.create_member(MemberDraft("Maya"))
    with pytest.raises(ImportOutdatedError, match="preview the file again"):
        commit_roster_import(db, preview)
    assert member_count(db) == 1 and group_count(db) == 0


def test_every_row_rejected_writes_nothing(db: Database, tmp_path: Path) -> None:
    preview = preview_file(db, write(tmp_path, "Name,E-mail\nA,bad\n,x@example.org\n"))
    result = commit_roster_import(db, preview)
    assert (result.rejected, result.group_created, result.group_id) == (2, False, None)
    assert group_count(db) == 0


def test_group_names_are_checked_and_archived_groups_refused(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    path = write(tmp_path, "Name\nMaya\n")
    with pytest.raises(RosterImportError, match="group name"):
        preview_file(db, path, "   ")
    group = roster.create_group(GroupDraft("Old Circle"))
    roster.archive_group(group.id)
    with pytest.raises(RosterImportError, match="archived"):
        preview_file(db, path, "old circle")


def test_five_thousand_rows_preview_and_commit(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    existing = [
        roster.create_member(MemberDraft(f"Existing {i}", email=f"e{i}@example.org"))
        for i in range(3)
    ]
    lines = ["First name;Last name;E-mail;Phone;Joined;Consent"]
    lines += [f"Zoë;Dąbrowska {i};z{i}@example.org;555-0100;13/02/2024;yes" for i in range(4990)]
    lines += [f"Existing {i};;E{i}@EXAMPLE.ORG;555-0199;;" for i in range(3)]
    lines += [";;nobody@example.org;;;"] * 4
    lines += ["Zoë;Dąbrowska 7;;;;"] * 3
    path = write(tmp_path, "\r\n".join(lines) + "\r\n", encoding="utf-8-sig")

    # How fast is measured by benchmarks/csv_import.py, not here (timings flake under load).
    preview = preview_file(db, path)
    result = commit_roster_import(db, preview)

    assert (result.added, result.updated, result.unchanged, result.rejected) == (4990, 3, 0, 7)
    assert member_count(db) == 4993
    assert roster.get_member(existing[0].id).phone == "555-0199"
    assert len(group_members(roster)) == 4993


# ---- export ---------------------------------------------------------------------------------


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(database_path(tmp_path / "elsewhere"))
    yield database
    database.close()


def _people(roster: RosterService) -> int:
    group = roster.create_group(GroupDraft(GROUP))
    for i, name in enumerate(MANY_SCRIPTS):
        roster.create_member(
            MemberDraft(
                name,
                full_name=f"{name} {MANY_SCRIPTS[-1 - i]}" if i % 2 else "",
                pronouns=("she/her", "they/them", "")[i % 3],
                email=f"person.{i}@example.org" if i % 3 else "",
                phone="+1 555-0101" if i % 4 == 0 else "",
                emergency_contact="Partner, “Ana”\n555-0142" if i == 3 else "",
                joined_on=dt.date(2024, 1, 1) + dt.timedelta(days=17 * i) if i % 5 else None,
                status=list(MemberStatus)[i % 3],
                may_contact=i % 2 == 0,
            ),
            group_id=group.id,
            role=Role.CO_FACILITATOR if i == 2 else Role.MEMBER,
        )
    return group.id


def _exported_view(rows: list[MemberRow]) -> list[tuple[object, ...]]:
    return [
        (
            m.display_name.encode(),
            m.full_name.encode(),
            m.pronouns,
            m.email,
            m.phone,
            m.emergency_contact,
            m.joined_on,
            m.status,
            m.may_contact,
            m.role,
            m.seat,
        )
        for m in rows
    ]


def test_export_is_spreadsheet_friendly(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    group_id = _people(roster)
    out = tmp_path / "roster.csv"
    assert export_roster_csv(db, group_id, out) == len(MANY_SCRIPTS)
    data = out.read_bytes()
    header = (
        "Name,Full name,Pronouns,E-mail,Phone,Emergency contact,Joined,First visit,"
        "Status,May contact,Role"
    )
    assert data.startswith(codecs.BOM_UTF8 + header.encode() + b"\r\n")
    assert b"\r\nZo\xc3\xab,,she/her,,+1 555-0101,,,,active,yes,member\r\n" in data
    assert b",2024-01-18," in data and b"co-facilitator" in data
    assert data.count(b"\r\n") == len(MANY_SCRIPTS) + 1, "a line break inside a cell is quoted"
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_export_then_import_gives_identical_members(
    db: Database, roster: RosterService, other_db: Database, tmp_path: Path
) -> None:
    group_id = _people(roster)
    out = tmp_path / "roster.csv"
    export_roster_csv(db, group_id, out)

    again = preview_file(db, out)
    assert {r.action for r in again.rows} == {ImportAction.UNCHANGED}, "re-import changes nothing"
    assert again.ignored_columns == []

    preview = preview_file(other_db, out)
    assert preview.added == len(MANY_SCRIPTS)
    commit_roster_import(other_db, preview)
    before = _exported_view(roster.list_members(group_id))
    after = _exported_view(group_members(RosterService(other_db)))
    assert after == before


def test_export_of_everyone_has_no_roles(
    db: Database, roster: RosterService, tmp_path: Path
) -> None:
    _people(roster)
    roster.create_member(MemberDraft("Not In A Group"))
    out = tmp_path / "everyone.csv"
    assert export_roster_csv(db, None, out) == len(MANY_SCRIPTS) + 1
    lines = out.read_bytes().decode("utf-8-sig").split("\r\n")
    assert all(line.endswith(",") for line in lines[1:] if line and "Partner" not in line)


def test_export_of_an_unknown_group_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        export_roster_csv(db, 12345, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_a_failed_export_leaves_the_old_file_and_no_temporary_file(
    db: Database, roster: RosterService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    group_id = _people(roster)
    out = tmp_path / "roster.csv"
    out.write_bytes(b"the previous export")

    def fail(*_args: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="no space"):
        export_roster_csv(db, group_id, out)
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["roster.csv"]


def test_first_visit_date_survives_export_and_import(
    db: Database, roster: RosterService, other_db: Database, tmp_path: Path
) -> None:
    group = roster.create_group(GroupDraft("Visits"))
    roster.create_member(
        MemberDraft("Noor", joined_on=dt.date(2026, 2, 3), first_visit_on=dt.date(2026, 1, 27)),
        group_id=group.id,
    )
    out = tmp_path / "visits.csv"
    export_roster_csv(db, group.id, out)
    commit_roster_import(other_db, preview_file(other_db, out, "Visits"))
    (noor,) = RosterService(other_db).list_members()
    assert (noor.joined_on, noor.first_visit_on) == (dt.date(2026, 2, 3), dt.date(2026, 1, 27))
