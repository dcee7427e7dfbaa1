"""ResourceService: the library (CRUD, checks, search, archive) and each group's handout."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from peercircle.db import Database, open_database
from peercircle.db.models import Group, GroupResource
from peercircle.paths import database_path
from peercircle.services.resource_types import check_url, normalise_tags
from peercircle.services.resources import (
    ChangedElsewhereError,
    NotFoundError,
    ResourceDraft,
    ResourceKind,
    ResourceRow,
    ResourceService,
    ValidationError,
    clean_resource,
)
from peercircle.services.roster import GroupDraft, GroupInfo, RosterService

MISSING_ID = 999_999


@pytest.fixture
def library(db: Database) -> ResourceService:
    return ResourceService(db)


def _titles(rows: list[ResourceRow]) -> list[str]:
    return [r.title for r in rows]


def _add(
    library: ResourceService, title: str, kind: ResourceKind = ResourceKind.WEBSITE, **fields: str
) -> ResourceRow:
    return library.create_resource(ResourceDraft(title, kind, **fields))


def _group(roster: RosterService, name: str = "Tuesday Circle") -> GroupInfo:
    return roster.create_group(GroupDraft(name))


# ---- creating and editing -------------------------------------------------------------------


def test_create_trims_tidies_and_returns_what_was_stored(library: ResourceService) -> None:
    created = library.create_resource(
        ResourceDraft(
            "  Example Warmline\u00a0",
            ResourceKind.HELPLINE,
            description="\r\n  Someone to talk to in the evenings.\r\nNot a crisis line.  \n",
            phone=" 555-0100 ",
            url="  www.example.org/warmline ",
            address="  12 Example Street, Riverside ",
            tags=" listening;evenings,  Listening , late   nights,, ",
        )
    )
    assert created.title == "Example Warmline"
    assert created.kind is ResourceKind.HELPLINE
    assert created.kind_label == "Helpline"
    assert created.description == "Someone to talk to in the evenings.\nNot a crisis line."
    assert created.phone == "555-0100"
    assert created.url == "https://www.example.org/warmline"  # the start is added for you
    assert created.address == "12 Example Street, Riverside"
    assert created.tags == "listening, evenings, late nights"
    assert created.tag_list == ("listening", "evenings", "late nights")
    assert (created.archived, created.version, created.groups) == (False, 1, ())
    assert library.get_resource(created.id) == created


def test_names_in_any_script_round_trip(library: ResourceService) -> None:
    for title in ("Ágnes' reading list", "Nguyễn's worksheet", "Ольга: листок", "小雨的网站 🌊"):
        created = _add(library, title, tags="Łódź, Θεσσαλονίκη")
        assert library.get_resource(created.id).title == title
        assert created.tag_list == ("Łódź", "Θεσσαλονίκη")


def test_update_saves_every_field_and_counts_the_version(library: ResourceService) -> None:
    reading = _add(library, "Being heard", ResourceKind.READING)
    updated = library.update_resource(
        reading.id,
        ResourceDraft(
            "Being heard (2nd edition)",
            ResourceKind.WORKSHEET,
            "Ten pages.",
            "555-0123",
            "http://example.org/heard",
            "Library desk",
            "listening",
        ),
        expected_version=reading.version,
    )
    assert updated.to_draft() == ResourceDraft(
        "Being heard (2nd edition)",
        ResourceKind.WORKSHEET,
        "Ten pages.",
        "555-0123",
        "http://example.org/heard",
        "Library desk",
        "listening",
    )
    assert updated.version == reading.version + 1
    assert library.get_resource(reading.id) == updated


def test_unknown_resources_are_a_clear_not_found(library: ResourceService) -> None:
    with pytest.raises(NotFoundError, match="That resource no longer exists"):
        library.get_resource(MISSING_ID)
    with pytest.raises(NotFoundError):
        library.update_resource(MISSING_ID, ResourceDraft("Gone", ResourceKind.READING))
    with pytest.raises(NotFoundError):
        library.archive_resource(MISSING_ID)


# ---- checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "Please enter a title."),
        ({"title": "x" * 121}, "title", "The title is too long (121 characters; at most 120)."),
        ({"title": "Two\nlines"}, "title", "The title should be on one line"),
        ({"phone": "call us"}, "phone", "“call us” doesn't look like a phone number"),
        ({"phone": "12"}, "phone", "doesn't look like a phone number"),
        ({"url": "ftp://example.org/files"}, "url", "starts with http:// or https://"),
        ({"url": "mailto:help@example.org"}, "url", "starts with http:// or https://"),
        ({"url": "javascript:alert(1)"}, "url", "starts with http:// or https://"),
        ({"url": "https://exa mple.org"}, "url", "“https://exa mple.org” doesn't look like a web"),
        ({"url": "https://"}, "url", "doesn't look like a web address"),
        ({"url": "http:/example.org"}, "url", "doesn't look like a web address"),
        ({"url": "https://example"}, "url", "doesn't look like a web address"),
        ({"url": "https://example.org:port/"}, "url", "doesn't look like a web address"),
        ({"url": "https://-bad-.example.org"}, "url", "doesn't look like a web address"),
        ({"url": "https://user@example.org"}, "url", "doesn't look like a web address"),
        ({"url": "https://[::1"}, "url", "doesn't look like a web address"),
        ({"url": "https://x.org/" + "a" * 500}, "url", "The web address is too long"),
        ({"address": "Line one\x00"}, "address", "The address should be on one line"),
        ({"address": "a" * 301}, "address", "The address is too long"),
        ({"description": "a" * 2001}, "description", "The description is too long"),
        ({"tags": ", ".join(f"tag{i}" for i in range(40))}, "tags", "list of tags is too long"),
    ],
)
def test_messages_a_person_understands(fields: dict[str, Any], field: str, message: str) -> None:
    draft = replace(ResourceDraft("Example", ResourceKind.WEBSITE), **fields)
    with pytest.raises(ValidationError) as caught:
        clean_resource(draft)
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]


def test_nothing_is_saved_while_a_field_needs_attention(library: ResourceService) -> None:
    with pytest.raises(ValidationError) as caught:
        _add(library, " ", phone="call us", url="ftp://example.org")
    assert set(caught.value.errors) == {"title", "phone", "url"}
    reading = _add(library, "Being heard", ResourceKind.READING)
    with pytest.raises(ValidationError):
        library.update_resource(reading.id, ResourceDraft("", ResourceKind.READING))
    assert library.list_resources(include_archived=True) == [reading]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://example.org", "https://example.org"),
        ("HTTP://Example.org/Path?q=1#top", "HTTP://Example.org/Path?q=1#top"),
        ("example.org/help", "https://example.org/help"),
        ("example.org:8080/help", "https://example.org:8080/help"),
        ("https://bücherei.example/ausleihe", "https://bücherei.example/ausleihe"),
        ("http://192.0.2.10/info", "http://192.0.2.10/info"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("", ""),
    ],
)
def test_web_addresses_that_are_accepted(typed: str, stored: str) -> None:
    assert clean_resource(ResourceDraft("Site", ResourceKind.WEBSITE, url=typed)).url == stored


def test_a_kind_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_resource(ResourceDraft("Site", "newsletter"))  # type: ignore[arg-type]
    assert caught.value.errors == {"kind": "Please choose what kind of resource it is."}
    # A kind given as its stored text (e.g. from a script) is accepted as that kind.
    assert clean_resource(ResourceDraft("Site", "reading")).kind is ResourceKind.READING  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_gets_a_message_or_is_a_real_web_address(text: str) -> None:
    message = check_url(text.strip())
    if message is None and text.strip():
        url = clean_resource(ResourceDraft("Site", ResourceKind.WEBSITE, url=text)).url
        parts = urlsplit(url)
        assert parts.scheme.lower() in ("http", "https")
        assert parts.hostname
        assert not any(ch.isspace() for ch in url)


def test_tags_are_tidied_without_changing_their_spelling() -> None:
    assert normalise_tags("Sleep; carers ,SLEEP, ,  grief   support ") == (
        "Sleep, carers, grief support"
    )
    assert normalise_tags("") == ""


# ---- listing and searching -------------------------------------------------------------------


@pytest.fixture
def shelf(library: ResourceService) -> dict[str, ResourceRow]:
    rows = [
        _add(library, "Warmline", ResourceKind.HELPLINE, tags="evenings, listening"),
        _add(
            library,
            "Café Séréna drop-in",
            ResourceKind.LOCAL_SERVICE,
            address="Rue de l'Église 4",
            description="Tea, company and a quiet corner.",
        ),
        _add(library, "Ägyptische Gärten", ResourceKind.READING, tags="Grünflächen"),
        _add(library, "Nguyễn's sleep diary", ResourceKind.WORKSHEET, tags="sleep"),
        _add(library, "Ольга: дневник", ResourceKind.WORKSHEET, description="Сон и отдых"),
        _add(library, "zine archive", ResourceKind.WEBSITE, url="https://example.org/zines"),
    ]
    return {r.title: r for r in rows}


def test_listed_by_title_ignoring_accents_and_case(
    library: ResourceService, shelf: dict[str, ResourceRow]
) -> None:
    assert _titles(library.list_resources()) == [
        "Ägyptische Gärten",
        "Café Séréna drop-in",
        "Nguyễn's sleep diary",
        "Warmline",
        "zine archive",
        "Ольга: дневник",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("cafe serena", ["Café Séréna drop-in"]),
        ("EGLISE", ["Café Séréna drop-in"]),  # the address
        ("quiet corner", ["Café Séréna drop-in"]),  # the description
        ("nguyen", ["Nguyễn's sleep diary"]),
        ("gruenflachen", []),  # ä folds to a, not to ae
        ("grunflachen", ["Ägyptische Gärten"]),  # a tag
        ("сон", ["Ольга: дневник"]),
        ("helpline", ["Warmline"]),  # the kind
        ("local service", ["Café Séréna drop-in"]),
        ("worksheet sleep", ["Nguyễn's sleep diary"]),  # every word must be there
        ("sleep listening", []),
        ("   ", None),  # nothing typed: everything
    ],
)
def test_search_any_case_with_or_without_accents(
    library: ResourceService, shelf: dict[str, ResourceRow], text: str, found: list[str] | None
) -> None:
    expected = _titles(library.list_resources()) if found is None else found
    assert _titles(library.search_resources(text)) == expected


def test_search_within_one_kind(library: ResourceService, shelf: dict[str, ResourceRow]) -> None:
    assert _titles(library.search_resources(kind=ResourceKind.WORKSHEET)) == [
        "Nguyễn's sleep diary",
        "Ольга: дневник",
    ]
    assert _titles(library.search_resources("diary", kind=ResourceKind.READING)) == []


def test_archive_hides_and_restore_brings_back(
    library: ResourceService, shelf: dict[str, ResourceRow]
) -> None:
    warmline = shelf["Warmline"]
    library.archive_resource(warmline.id)
    assert "Warmline" not in _titles(library.list_resources())
    assert library.search_resources("warmline") == []
    everything = library.list_resources(include_archived=True)
    assert everything[-1].title == "Warmline" and everything[-1].archived  # archived last
    assert _titles(library.search_resources("warmline", include_archived=True)) == ["Warmline"]
    library.restore_resource(warmline.id)
    assert not library.get_resource(warmline.id).archived
    assert "Warmline" in _titles(library.list_resources())


# ---- a group's handout ------------------------------------------------------------------------


def test_choose_and_order_a_groups_handout(
    library: ResourceService, roster: RosterService, shelf: dict[str, ResourceRow]
) -> None:
    tuesday, saturday = _group(roster), _group(roster, "Saturday Walk")
    ids = {title: r.id for title, r in shelf.items()}
    assert library.group_resources(tuesday.id) == []

    chosen = library.set_group_resources(
        tuesday.id, [ids["zine archive"], ids["Warmline"], ids["Ольга: дневник"]]
    )
    assert _titles(chosen) == ["zine archive", "Warmline", "Ольга: дневник"]
    assert _titles(library.group_resources(tuesday.id)) == _titles(chosen)

    # Reordering, dropping one and adding another is one step; repeats are ignored.
    library.set_group_resources(
        tuesday.id,
        [ids["Warmline"], ids["Café Séréna drop-in"], ids["zine archive"], ids["Warmline"]],
    )
    assert _titles(library.group_resources(tuesday.id)) == [
        "Warmline",
        "Café Séréna drop-in",
        "zine archive",
    ]
    # Each group has its own handout; the library shows who hands out what.
    library.set_group_resources(saturday.id, [ids["zine archive"]])
    assert _titles(library.group_resources(saturday.id)) == ["zine archive"]
    assert library.get_resource(ids["zine archive"]).groups == ("Saturday Walk", "Tuesday Circle")
    assert library.get_resource(ids["Warmline"]).groups == ("Tuesday Circle",)
    assert library.get_resource(ids["Ольга: дневник"]).groups == ()

    library.set_group_resources(tuesday.id, [])
    assert library.group_resources(tuesday.id) == []
    assert _titles(library.group_resources(saturday.id)) == ["zine archive"]


def test_archived_resources_cannot_be_chosen_and_leave_the_handout_until_restored(
    library: ResourceService, roster: RosterService, shelf: dict[str, ResourceRow]
) -> None:
    group = _group(roster)
    warmline, cafe, zines = shelf["Warmline"], shelf["Café Séréna drop-in"], shelf["zine archive"]
    library.set_group_resources(group.id, [warmline.id, cafe.id])
    library.archive_resource(warmline.id)
    assert _titles(library.group_resources(group.id)) == ["Café Séréna drop-in"]

    with pytest.raises(ValidationError) as caught:
        library.set_group_resources(group.id, [zines.id, warmline.id])
    assert caught.value.errors["resources"] == (
        "“Warmline” is archived. Restore it in the Resource Library to hand it out again."
    )
    assert _titles(library.group_resources(group.id)) == ["Café Séréna drop-in"]  # unchanged

    # Choosing again (the archived one is not offered) keeps the hidden choice for later.
    library.set_group_resources(group.id, [zines.id, cafe.id])
    library.restore_resource(warmline.id)
    assert _titles(library.group_resources(group.id)) == [
        "zine archive",
        "Café Séréna drop-in",
        "Warmline",
    ]


def test_unknown_groups_and_resources_change_nothing(
    library: ResourceService, roster: RosterService, shelf: dict[str, ResourceRow]
) -> None:
    group = _group(roster)
    warmline = shelf["Warmline"]
    library.set_group_resources(group.id, [warmline.id])
    with pytest.raises(NotFoundError, match="That group no longer exists"):
        library.set_group_resources(MISSING_ID, [warmline.id])
    with pytest.raises(NotFoundError, match="That group no longer exists"):
        library.group_resources(MISSING_ID)
    with pytest.raises(NotFoundError, match="Some of those resources no longer exist"):
        library.set_group_resources(group.id, [MISSING_ID])
    assert _titles(library.group_resources(group.id)) == ["Warmline"]


def test_archived_groups_are_not_named_and_removing_a_group_removes_its_choices(
    db: Database, library: ResourceService, roster: RosterService, shelf: dict[str, ResourceRow]
) -> None:
    group = _group(roster)
    warmline = shelf["Warmline"]
    library.set_group_resources(group.id, [warmline.id])
    roster.archive_group(group.id)
    assert library.get_resource(warmline.id).groups == ()
    with db.session() as s:
        s.execute(delete(Group).where(Group.id == group.id))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(GroupResource)) == 0
    assert library.get_resource(warmline.id).title == "Warmline"


# ---- two windows --------------------------------------------------------------------------


@pytest.fixture
def second_library(db: Database, data_dir: Path) -> Iterator[ResourceService]:
    """Another ResourceService on its own Database on the same file, like a second window."""
    other = open_database(database_path(data_dir))
    yield ResourceService(other)
    other.close()


@pytest.mark.sqlite_only  # a second Database on the same file; on a server: test_postgresql.py
def test_a_stale_edit_is_refused_and_nothing_is_overwritten(
    library: ResourceService, second_library: ResourceService
) -> None:
    opened_here = _add(library, "Warmline", ResourceKind.HELPLINE)
    opened_there = second_library.get_resource(opened_here.id)
    saved_there = second_library.update_resource(
        opened_there.id,
        ResourceDraft("Warmline (evenings)", ResourceKind.HELPLINE),
        expected_version=opened_there.version,
    )
    with pytest.raises(ChangedElsewhereError) as caught:
        library.update_resource(
            opened_here.id,
            ResourceDraft("Warmline (here)", ResourceKind.HELPLINE),
            expected_version=opened_here.version,
        )
    assert "This resource was changed by someone else" in str(caught.value)
    assert "not saved" in str(caught.value)
    assert library.get_resource(opened_here.id) == saved_there
    # Opened again, it saves normally.
    again = library.update_resource(
        opened_here.id,
        ResourceDraft("Warmline (here)", ResourceKind.HELPLINE),
        expected_version=saved_there.version,
    )
    assert again.title == "Warmline (here)"


def test_archiving_counts_as_a_change_for_an_open_editor(library: ResourceService) -> None:
    opened = _add(library, "Warmline", ResourceKind.HELPLINE)
    library.archive_resource(opened.id)
    with pytest.raises(ChangedElsewhereError):
        library.update_resource(
            opened.id, ResourceDraft("Renamed", ResourceKind.HELPLINE), expected_version=1
        )
    assert library.get_resource(opened.id).title == "Warmline"


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
    ).filter(lambda t: t.strip())
)
def test_any_one_line_title_round_trips_after_strip(library: ResourceService, title: str) -> None:
    created = _add(library, title)
    assert library.get_resource(created.id).title == title.strip()
