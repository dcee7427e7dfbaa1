"""The resource library screen, its editor and the handout chooser, driven with qtbot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QMenu

from peercircle.db import Database
from peercircle.domain import ResourceKind
from peercircle.services.resources import ResourceDraft, ResourceRow, ResourceService
from peercircle.services.roster import GroupDraft, GroupInfo, RosterService
from peercircle.ui.main_window import MainWindow
from peercircle.ui.resource_library.group_resources_dialog import (
    GroupResourcesDialog,
    HandoutListModel,
    choose_group_resources,
)
from peercircle.ui.resource_library.library_screen import (
    ResourceLibraryDialog,
    ResourceLibraryScreen,
)
from peercircle.ui.resource_library.resource_dialog import ResourceDialog
from peercircle.ui.resource_library.table_model import (
    ResourceFilterProxy,
    ResourceIdRole,
    ResourceTableModel,
)


def _row(
    i: int, title: str, kind: ResourceKind = ResourceKind.WEBSITE, **kw: object
) -> ResourceRow:
    values: dict[str, object] = dict(
        id=i,
        title=title,
        kind=kind,
        description="",
        phone="",
        url="",
        address="",
        tags="",
        archived=False,
        version=1,
    )
    values.update(kw)
    return ResourceRow(**values)  # type: ignore[arg-type]


ROWS = [
    _row(1, "Warmline", ResourceKind.HELPLINE, phone="555-0100", tags="evenings"),
    _row(2, "Café Séréna", ResourceKind.LOCAL_SERVICE, description="Tea and company"),
    _row(3, "Nguyễn's sleep diary", ResourceKind.WORKSHEET, groups=("Tuesday",)),
    _row(4, "Old leaflet", ResourceKind.READING, archived=True),
]


@pytest.fixture
def answer(answer_dialog):  # type: ignore[no-untyped-def]
    """Like ``answer_dialog``, but a failed check closes the dialog, so the test fails
    instead of waiting for ever on a dialog nobody will close."""

    def schedule(handler) -> None:  # type: ignore[no-untyped-def]
        def safely(dialog) -> None:  # type: ignore[no-untyped-def]
            try:
                handler(dialog)
            except BaseException:
                dialog.reject()
                raise

        answer_dialog(safely)

    return schedule


# ---- models ---------------------------------------------------------------------------------


def test_table_model_and_proxy_pass_modeltester(qtmodeltester) -> None:
    model = ResourceTableModel()
    model.set_resources(ROWS)
    qtmodeltester.check(model, force_py=True)
    proxy = ResourceFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter("e", ResourceKind.HELPLINE)
    qtmodeltester.check(proxy, force_py=True)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Warmline"]


def test_table_model_shows_kind_archived_and_description(qtmodeltester) -> None:
    model = ResourceTableModel()
    model.set_resources(ROWS)
    assert model.index(3, 1).data() == "Reading · archived"
    font = model.index(3, 0).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == "Tea and company"
    assert model.index(2, 5).data() == "Tuesday"
    assert model.index(0, 2).data() == "555-0100"
    assert model.index(2, 0).data(ResourceIdRole) == 3


def test_handout_model_passes_modeltester_while_ticked_and_moved(qtmodeltester) -> None:
    model = HandoutListModel(ROWS, [3, 1])
    qtmodeltester.check(model, force_py=True)
    # Chosen first in their order, then the rest by title; archived ones are not offered.
    assert [model.index(r, 0).data(ResourceIdRole) for r in range(model.rowCount())] == [3, 1, 2]
    assert [model.index(r, 0).data() for r in range(3)] == ["1", "2", ""]
    assert model.move(2, 0)
    assert [model.index(r, 0).data() for r in range(3)] == ["", "1", "2"]
    assert model.index(2, 1).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Warmline, number 2 on the handout"
    )
    model.setData(model.index(0, 1), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtmodeltester.check(model, force_py=True)
    assert model.chosen_ids() == [2, 3, 1]
    assert [model.index(r, 0).data() for r in range(3)] == ["1", "2", "3"]
    assert not model.setData(
        model.index(1, 2), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    assert not model.move(0, 3) and not model.move(1, 1)
    assert model.index(0, 2).data() == "Local service"


# ---- the library screen --------------------------------------------------------------------


@pytest.fixture
def library(db: Database) -> ResourceService:
    service = ResourceService(db)
    service.create_resource(
        ResourceDraft("Example Warmline", ResourceKind.HELPLINE, phone="555-0100", tags="evenings")
    )
    service.create_resource(
        ResourceDraft("Café Séréna", ResourceKind.LOCAL_SERVICE, address="Rue de l'Église 4")
    )
    service.create_resource(ResourceDraft("Ольга's reading list", ResourceKind.READING))
    return service


@pytest.fixture
def screen(qtbot, library: ResourceService, dialogs) -> ResourceLibraryScreen:
    widget = ResourceLibraryScreen(library, dialogs)
    qtbot.addWidget(widget)
    widget.resize(980, 560)
    widget.show()
    return widget


def test_lists_every_resource_by_title_with_a_count(screen: ResourceLibraryScreen) -> None:
    assert screen.shown_titles() == ["Café Séréna", "Example Warmline", "Ольга's reading list"]
    assert screen.count.text() == "3 resources"
    assert not screen.edit_button.isEnabled()


def test_search_and_kind_filter_instantly(qtbot, screen: ResourceLibraryScreen) -> None:
    qtbot.keyClicks(screen.search, "eglise")
    assert screen.shown_titles() == ["Café Séréna"]
    assert screen.count.text() == "1 of 3 resources"
    screen.search.clear()
    screen.search.insert("ОЛЬГА")  # QTest types ASCII only
    assert screen.shown_titles() == ["Ольга's reading list"]
    screen.search.clear()
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findText("Helplines"))
    assert screen.shown_titles() == ["Example Warmline"]
    qtbot.keyClicks(screen.search, "cafe")
    assert screen.stack.currentWidget() is screen.empty_message
    assert "Nothing in the library matches" in screen.empty_message.text()
    screen.kind_filter.setCurrentIndex(0)
    assert screen.shown_titles() == ["Café Séréna"]


def test_an_empty_library_says_what_to_do(qtbot, db: Database, dialogs) -> None:
    widget = ResourceLibraryScreen(ResourceService(db), dialogs)
    qtbot.addWidget(widget)
    assert widget.stack.currentWidget() is widget.empty_message
    assert "Your library is empty" in widget.empty_message.text()
    assert widget.count.text() == "0 resources"


def test_add_a_resource_through_the_dialog(
    qtbot, screen: ResourceLibraryScreen, library: ResourceService, answer
) -> None:
    changed = []
    screen.resources_changed.connect(lambda: changed.append(True))

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ResourceDialog)
        assert not dialog.save_button.isEnabled()  # a title is required
        assert not dialog.errors["title"].isVisible()  # no scolding before typing
        dialog.title.insert("  Ágnes' carers' group  ")
        dialog.kind.setCurrentIndex(dialog.kind.findData(ResourceKind.LOCAL_SERVICE))
        qtbot.keyClicks(dialog.url, "ftp://example.org")
        assert "starts with http:// or https://" in dialog.errors["url"].text()
        assert not dialog.save_button.isEnabled()
        dialog.url.clear()
        qtbot.keyClicks(dialog.url, "example.org/carers")
        assert not dialog.errors["url"].isVisible()
        qtbot.keyClicks(dialog.phone, "call us")
        assert "phone number" in dialog.errors["phone"].text()
        dialog.phone.clear()
        qtbot.keyClicks(dialog.phone, "555-0123")
        qtbot.keyClicks(dialog.tags, "carers;  Carers, respite")
        qtbot.keyClicks(dialog.description, "Second Tuesday of the month.")
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(fill)
    screen.add_button.click()
    [stored] = library.search_resources("agnes")
    assert (stored.title, stored.kind, stored.url, stored.tags) == (
        "Ágnes' carers' group",
        ResourceKind.LOCAL_SERVICE,
        "https://example.org/carers",
        "carers, respite",
    )
    assert stored.description == "Second Tuesday of the month."
    assert screen.selected_resource_id() == stored.id
    assert "Ágnes' carers' group" in screen.shown_titles()
    assert changed == [True]


def test_a_new_resource_hidden_by_the_search_is_shown_after_saving(
    qtbot, screen: ResourceLibraryScreen, answer
) -> None:
    qtbot.keyClicks(screen.search, "warmline")

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.title, "Sleep worksheet")
        dialog.save_button.click()

    answer(fill)
    screen.add_button.click()
    assert screen.search.text() == ""
    assert screen.selected_resource() is not None
    assert screen.selected_resource().title == "Sleep worksheet"  # type: ignore[union-attr]


def test_edit_by_keyboard_and_a_stale_edit_is_refused(
    qtbot, screen: ResourceLibraryScreen, library: ResourceService, dialogs, answer
) -> None:
    [warmline] = library.search_resources("warmline")
    assert screen.select_resource(warmline.id)

    def rename(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.title.text() == "Example Warmline"
        assert dialog.phone.text() == "555-0100"
        dialog.title.setText("Evening Warmline")
        dialog.save_button.click()

    answer(rename)
    screen.edit_action.trigger()
    assert library.get_resource(warmline.id).title == "Evening Warmline"
    assert screen.selected_resource_id() == warmline.id

    # Someone else saves while the editor is open: nothing is overwritten.
    def rename_again(dialog) -> None:  # type: ignore[no-untyped-def]
        library.update_resource(
            warmline.id, ResourceDraft("Saved elsewhere", ResourceKind.HELPLINE)
        )
        dialog.title.setText("Mine")
        dialog.save_button.click()

    answer(rename_again)
    screen.edit_selected()
    assert library.get_resource(warmline.id).title == "Saved elsewhere"
    assert dialogs.errors and "changed by someone else" in dialogs.errors[-1][1]
    assert "Saved elsewhere" in screen.shown_titles()


def test_archive_and_restore(
    screen: ResourceLibraryScreen, library: ResourceService, roster: RosterService, dialogs
) -> None:
    group = roster.create_group(GroupDraft("Tuesday Circle"))
    [cafe] = library.search_resources("cafe")
    library.set_group_resources(group.id, [cafe.id])
    screen.reload(select_resource=cafe.id)

    dialogs.confirm_answer = False
    screen.archive_button.click()
    assert "Café Séréna" in screen.shown_titles()
    dialogs.confirm_answer = True
    screen.archive_action.trigger()
    assert "Tuesday Circle" in dialogs.asked[-1][1]  # says which handouts it leaves
    assert screen.shown_titles() == ["Example Warmline", "Ольга's reading list"]
    assert library.group_resources(group.id) == []

    screen.show_archived.setChecked(True)
    assert screen.select_resource(cafe.id)
    assert screen.restore_button.isVisible() and not screen.archive_button.isVisible()
    screen.restore_button.click()
    assert not library.get_resource(cafe.id).archived
    assert [r.title for r in library.group_resources(group.id)] == ["Café Séréna"]


def test_library_dialog_closes_with_escape(qtbot, library: ResourceService, dialogs) -> None:
    dialog = ResourceLibraryDialog(library, dialogs)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.screen_widget.count.text() == "3 resources"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


# ---- choosing a group's handout --------------------------------------------------------------


@pytest.fixture
def group(roster: RosterService) -> GroupInfo:
    return roster.create_group(GroupDraft("Tuesday Circle"))


def _listed(dialog: GroupResourcesDialog) -> list[tuple[str, bool]]:
    model = dialog.model
    return [(model.resource_at(r).title, model.is_chosen(r)) for r in range(model.rowCount())]


def test_choose_and_order_by_keyboard(
    qtbot, library: ResourceService, group: GroupInfo, dialogs, answer
) -> None:
    everything = {r.title: r for r in library.list_resources()}
    library.set_group_resources(group.id, [everything["Example Warmline"].id])

    def choose(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, GroupResourcesDialog)
        assert _listed(dialog) == [
            ("Example Warmline", True),
            ("Café Séréna", False),
            ("Ольга's reading list", False),
        ]
        view = dialog.list
        assert dialog.focusWidget() is view and view.currentIndex().row() == 0
        assert not dialog.up_button.isEnabled()
        qtbot.keyClick(view, Qt.Key.Key_Down)
        qtbot.keyClick(view, Qt.Key.Key_Down)
        qtbot.keyClick(view, Qt.Key.Key_Space)  # tick the reading list
        qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert view.currentIndex().row() == 0  # the moved resource stays selected
        assert dialog.chosen_ids() == [
            everything["Ольга's reading list"].id,
            everything["Example Warmline"].id,
        ]
        assert dialog.count.text() == "2 on the handout"
        assert [dialog.model.index(r, 0).data() for r in range(3)] == ["1", "2", ""]
        qtbot.keyClick(view, Qt.Key.Key_Down)
        qtbot.keyClick(view, Qt.Key.Key_Space)  # untick the warmline
        qtbot.keyClick(view, Qt.Key.Key_Down)
        qtbot.keyClick(view, Qt.Key.Key_Space)  # tick the café
        dialog.up_button.click()
        assert _listed(dialog) == [
            ("Ольга's reading list", True),
            ("Café Séréna", True),
            ("Example Warmline", False),
        ]
        qtbot.keyClick(view, Qt.Key.Key_Return)  # Save

    answer(choose)
    assert choose_group_resources(library, group, dialogs, None)  # type: ignore[arg-type]
    assert [r.title for r in library.group_resources(group.id)] == [
        "Ольга's reading list",
        "Café Séréna",
    ]
    assert dialogs.errors == []


def test_cancel_changes_nothing_and_archived_are_not_offered(
    qtbot, library: ResourceService, group: GroupInfo, dialogs, answer
) -> None:
    [warmline] = library.search_resources("warmline")
    library.archive_resource(warmline.id)

    def cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        assert [title for title, _ in _listed(dialog)] == ["Café Séréna", "Ольга's reading list"]
        assert dialog.count.text() == "Nothing ticked yet."
        qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)

    answer(cancel)
    assert not choose_group_resources(library, group, dialogs, None)  # type: ignore[arg-type]
    assert library.group_resources(group.id) == []


def test_a_resource_archived_meanwhile_is_not_saved(
    qtbot, library: ResourceService, group: GroupInfo, dialogs, answer
) -> None:
    [cafe] = library.search_resources("cafe")

    def choose(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.model.setData(
            dialog.model.index(0, 1), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
        )
        library.archive_resource(cafe.id)  # in another window
        dialog.save_button.click()

    answer(choose)
    assert not choose_group_resources(library, group, dialogs, None)  # type: ignore[arg-type]
    assert dialogs.errors == [
        (
            "Not saved",
            "“Café Séréna” is archived. Restore it in the Resource Library to hand it out again.",
        )
    ]


def test_an_empty_library_is_explained_in_the_chooser(
    qtbot, db: Database, group: GroupInfo
) -> None:
    dialog = GroupResourcesDialog(group, [], [])
    qtbot.addWidget(dialog)
    assert dialog.stack.currentWidget() is dialog.empty_message
    assert "Resource Library" in dialog.empty_message.text()
    assert not dialog.up_button.isEnabled() and not dialog.down_button.isEnabled()
    assert dialog.chosen_ids() == []
    assert dialog.model.index(0, 0).isValid() is False
    assert dialog.model.data(QModelIndex()) is None


# ---- from the main window -------------------------------------------------------------------


def test_main_window_opens_the_library_and_the_chooser(
    qtbot, db: Database, roster: RosterService, library: ResourceService, dialogs, answer
) -> None:
    roster.create_group(GroupDraft("Tuesday Circle"))
    window = MainWindow(db, roster, dialogs)
    qtbot.addWidget(window)
    window.show()
    menus = {m.title(): m for m in window.menuBar().findChildren(QMenu)}
    assert window.resource_library_action in menus["&View"].actions()
    assert window.handout_resources_action in menus["&Edit"].actions()

    window.sidebar.setCurrentIndex(window.groups_model.index(0))  # All members
    assert not window.handout_resources_action.isEnabled()
    window.sidebar.setCurrentIndex(window.groups_model.index(1))
    assert window.handout_resources_action.isEnabled()

    seen = []

    def close_library(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.append(type(dialog))
        dialog.reject()

    answer(close_library)
    window.resource_library_action.trigger()
    assert seen == [ResourceLibraryDialog]

    def tick_first(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
        dialog.save_button.click()

    answer(tick_first)
    window.handout_resources_action.trigger()
    group = window.current_group()
    assert group is not None
    assert [r.title for r in library.group_resources(group.id)] == ["Café Séréna"]
    assert window.statusBar().currentMessage() == (
        "Saved the handout resources for “Tuesday Circle”."
    )
