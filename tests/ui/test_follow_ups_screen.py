"""The Follow-ups home screen, driven with qtbot on a real database and a real (fast) vault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QEvent, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, FollowUpSource
from peercircle.services.follow_ups import FollowUpService, suggested_due_date
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes_types import DueBucket, DueCounts, FollowUpDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.ui.follow_ups.follow_up_dialog import DoneDialog, FollowUpDialog
from peercircle.ui.follow_ups.follow_up_model import ABOUT, GROUP, WHEN, WHO
from peercircle.ui.follow_ups.follow_ups_screen import FollowUpsScreen
from peercircle.ui.follow_ups.wording import local_day
from peercircle.ui.vault.vault_controller import VaultController

TODAY = dt.date(2026, 11, 25)  # a Wednesday
NOW = dt.datetime(2026, 11, 25, 12, 0)  # UTC, as the services keep time
PASSPHRASE = "quiet harbour lanterns"
P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


@dataclass
class Circle:
    group_id: int
    agnes: int
    lan: int
    olga: int
    siobhan: int
    tomas: int


@pytest.fixture
def vault(db: Database) -> VaultService:
    service = VaultService(db, kdf_params=KdfParams(memory_kib=1024, iterations=1, lanes=1))
    service.set_up(PASSPHRASE)
    return service


@pytest.fixture
def controller(qtbot, vault: VaultService, tmp_path: Path) -> Iterator[VaultController]:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ctl = VaultController(vault, settings=settings, watch_activity=False)
    yield ctl
    ctl.stop_watching()


class Clock:
    """The services' clock (UTC), moved by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def follow_ups(db: Database, vault: VaultService, clock: Clock) -> FollowUpService:
    return FollowUpService(db, vault, now=clock)


@pytest.fixture
def circle(db: Database, roster: RosterService) -> Circle:
    """A group meeting on Tuesdays; Ольга and Tomás missed the last two meetings."""
    group = roster.create_group(GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Library"))
    ids = {
        name: roster.create_member(MemberDraft(name), group_id=group.id).id
        for name in ("Ágnes Kovács", "Nguyễn Thị Lan", "Ольга", "Siobhán", "Tomás")
    }
    meetings = MeetingService(db)
    days = [dt.date(2026, 11, 3) + dt.timedelta(weeks=i) for i in range(4)]  # 3 … 24 Nov
    meeting_ids = [meetings.create_meeting(group.id, MeetingDraft(day)).id for day in days]
    marks = {
        "Ágnes Kovács": [P, P, P, P],
        "Nguyễn Thị Lan": [P, P, P, P],
        "Ольга": [P, P, A, A],
        "Siobhán": [P, P, P, P],
        "Tomás": [P, None, A, A],
    }
    for name, statuses in marks.items():
        for meeting_id, status in zip(meeting_ids, statuses, strict=True):
            if status is not None:
                meetings.set_attendance(meeting_id, ids[name], status)
    return Circle(
        group.id,
        ids["Ágnes Kovács"],
        ids["Nguyễn Thị Lan"],
        ids["Ольга"],
        ids["Siobhán"],
        ids["Tomás"],
    )


REASONS = {
    "overdue": "ask how the new job is going",
    "today": "lend the book about grief",
    "week": "check the lift to the library works",
    "later": "birthday — send a card",
    "done": "call about the hospital visit",
}
OUTCOME = "Went well; she is coming next week."


@pytest.fixture
def several(follow_ups: FollowUpService, circle: Circle) -> dict[str, int]:
    """One follow-up in each bucket around TODAY."""

    def add(member_id: int, due: dt.date, reason: str) -> int:
        draft = FollowUpDraft(member_id, due, reason, group_id=circle.group_id)
        return follow_ups.create(draft).id

    ids = {
        "overdue": add(circle.agnes, dt.date(2026, 11, 20), REASONS["overdue"]),
        "today": add(circle.lan, TODAY, REASONS["today"]),
        "week": add(circle.siobhan, dt.date(2026, 11, 27), REASONS["week"]),
        "later": add(circle.lan, dt.date(2026, 12, 10), REASONS["later"]),
        "done": add(circle.siobhan, dt.date(2026, 11, 18), REASONS["done"]),
    }
    done = follow_ups.follow_up(ids["done"])
    follow_ups.complete(done.id, OUTCOME, done.version)
    return ids


@pytest.fixture
def answer(answer_dialog):  # type: ignore[no-untyped-def]
    """Like ``answer_dialog``, but a failing check closes the dialog (so the test fails
    instead of waiting for ever on an open dialog)."""

    def schedule(handler):  # type: ignore[no-untyped-def]
        def run(dialog: QWidget) -> None:
            try:
                handler(dialog)
            except BaseException:
                if dialog.isVisible():
                    dialog.close()
                raise

        answer_dialog(run)

    return schedule


@pytest.fixture
def make_screen(qtbot, controller, follow_ups, roster, dialogs):  # type: ignore[no-untyped-def]
    def make() -> FollowUpsScreen:
        screen = FollowUpsScreen(controller, follow_ups, roster, dialogs, today=lambda: TODAY)
        qtbot.addWidget(screen)
        screen.resize(900, 640)
        screen.show()
        return screen

    return make


@pytest.fixture
def screen(make_screen, several) -> FollowUpsScreen:  # type: ignore[no-untyped-def]
    return make_screen()


# ---- helpers --------------------------------------------------------------------------------


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """Every text a model gives for display, tooltips and screen readers, all levels down."""
    parent = parent or QModelIndex()
    texts: list[str] = []
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            for role in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.AccessibleTextRole,
                Qt.ItemDataRole.EditRole,
            ):
                value = index.data(role)
                if value is not None:
                    texts.append(str(value))
        texts += model_texts(model, model.index(row, 0, parent))
    return texts


def all_texts() -> str:
    """What every widget of the application shows or holds as text, and every item model."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        texts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QComboBox):
            texts.append(widget.currentText())
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())
    return "\n".join(texts)


PRIVATE = ("Ágnes", "Nguyễn", "Ольга", "Siobhán", "Tomás", *REASONS.values(), OUTCOME)


def assert_nothing_private_shown() -> None:
    shown = all_texts()
    leaked = [text for text in PRIVATE if text in shown]
    assert leaked == []


def names_in(screen: FollowUpsScreen, bucket: DueBucket) -> list[str]:
    return [info.member_name for info in screen.model.follow_ups_in(bucket)]


def row_texts(screen: FollowUpsScreen, follow_up_id: int) -> list[str]:
    index = screen.model.index_of(follow_up_id)
    return [index.siblingAtColumn(c).data() for c in (WHO, GROUP, WHEN, ABOUT)]


def suggestion_names(screen: FollowUpsScreen) -> list[str]:
    return [s.member_name for s in screen.suggestion_model.suggestions()]


def select_suggestion(screen: FollowUpsScreen, name: str) -> None:
    row = suggestion_names(screen).index(name)
    screen.suggestion_list.setCurrentIndex(screen.suggestion_model.index(row))


# ---- locked and hidden ----------------------------------------------------------------------


def test_locked_shows_counts_only(make_screen, several, controller) -> None:  # type: ignore[no-untyped-def]
    controller.lock()
    screen = make_screen()
    assert screen.pages.currentWidget() is screen.locked_panel
    assert screen.subtitle.text() == "1 overdue · 1 today · 1 this week · 1 later"
    assert screen.locked_panel.title.text() == "Your follow-ups are locked"
    assert screen.model.rowCount() == 0
    assert screen.suggestion_model.rowCount() == 0
    assert not screen.new_button.isVisible()
    assert screen.new_follow_up() is None
    assert_nothing_private_shown()


def test_nothing_due_wording(make_screen, circle, controller) -> None:  # type: ignore[no-untyped-def]
    controller.lock()
    screen = make_screen()
    assert screen.subtitle.text() == "Nothing due."


def test_lock_clears_everything_and_unlock_reloads(
    qtbot, screen: FollowUpsScreen, controller
) -> None:  # type: ignore[no-untyped-def]
    assert screen.pages.currentWidget() is screen.content
    assert screen.model.follow_up_count() == 5
    assert suggestion_names(screen) == ["Ольга", "Tomás"]
    screen.select_follow_up(screen.model.follow_ups_in(DueBucket.TODAY)[0].id)
    controller.lock_action.trigger()
    assert screen.pages.currentWidget() is screen.locked_panel
    assert screen.model.rowCount() == 0
    assert screen.suggestion_model.rowCount() == 0
    assert screen.selected_follow_up() is None
    assert not screen.edit_button.isEnabled()
    assert_nothing_private_shown()

    screen.locked_panel.passphrase.insert(PASSPHRASE)
    with qtbot.waitSignal(screen.counts_changed):
        qtbot.mouseClick(screen.locked_panel.unlock_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.content
    assert screen.model.follow_up_count() == 5
    assert suggestion_names(screen) == ["Ольга", "Tomás"]


def test_hide_blanks_and_unhide_shows_again(screen: FollowUpsScreen, controller) -> None:  # type: ignore[no-untyped-def]
    controller.hide_action.trigger()  # F9
    assert screen.pages.currentWidget() is screen.locked_panel
    assert screen.locked_panel.title.text() == "Private panels are hidden"
    assert screen.subtitle.text() == "1 overdue · 1 today · 1 this week · 1 later"
    assert_nothing_private_shown()
    controller.hide_action.trigger()
    assert screen.pages.currentWidget() is screen.content
    assert screen.model.follow_up_count() == 5


def test_locking_while_editing_keeps_what_was_typed_and_wipes_the_dialog(
    qtbot, screen: FollowUpsScreen, controller, follow_ups: FollowUpService, circle, answer
) -> None:  # type: ignore[no-untyped-def]
    seen: list[FollowUpDialog] = []

    def fill_then_walk_away(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, FollowUpDialog)
        seen.append(dialog)
        dialog.member.set_member(circle.tomas)
        dialog.reason.insert("ask whether Thursdays suit him better")
        controller.lock()  # as the idle timer would

    answer(fill_then_walk_away)
    assert screen.new_follow_up() is not None
    assert not seen[0].isVisible()
    assert seen[0].reason.text() == ""
    assert not seen[0].reason.isUndoAvailable()
    assert seen[0].member.count() == 0
    assert screen.pages.currentWidget() is screen.locked_panel
    controller.vault.unlock(PASSPHRASE)
    saved = [f for f in follow_ups.follow_ups(TODAY) if f.member_id == circle.tomas]
    assert [f.reason for f in saved] == ["ask whether Thursdays suit him better"]


def test_hiding_an_untouched_dialog_saves_nothing(
    screen: FollowUpsScreen, controller, follow_ups: FollowUpService, answer
) -> None:  # type: ignore[no-untyped-def]
    answer(lambda dialog: controller.set_hidden(True))
    assert screen.new_follow_up() is None
    assert len(follow_ups.follow_ups(TODAY)) == 5
    assert_nothing_private_shown()


# ---- the due list ---------------------------------------------------------------------------


def test_buckets_around_today(screen: FollowUpsScreen, several: dict[str, int]) -> None:
    model = screen.model
    assert model.buckets() == [
        DueBucket.OVERDUE,
        DueBucket.TODAY,
        DueBucket.THIS_WEEK,
        DueBucket.LATER,
        DueBucket.DONE,
    ]
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Overdue · 1",
        "Today · 1",
        "This week · 1",
        "Later · 1",
        "Done recently · 1",
    ]
    assert names_in(screen, DueBucket.OVERDUE) == ["Ágnes Kovács"]
    assert names_in(screen, DueBucket.LATER) == ["Nguyễn Thị Lan"]
    assert row_texts(screen, several["overdue"]) == [
        "Ágnes Kovács",
        "Tuesday Circle",
        "5 days overdue",
        REASONS["overdue"],
    ]
    assert row_texts(screen, several["today"])[WHEN] == "Today"
    assert row_texts(screen, several["week"])[WHEN] == "Fri 27 Nov"
    assert row_texts(screen, several["later"])[WHEN] == "Thu 10 Dec"
    done_day = local_day(NOW)
    assert row_texts(screen, several["done"])[WHEN] == f"Done {done_day:%a} {done_day.day} Nov"
    assert row_texts(screen, several["done"])[ABOUT] == f"{REASONS['done']} — {OUTCOME}"
    overdue_when = model.index_of(several["overdue"]).siblingAtColumn(WHEN)
    assert overdue_when.data(Qt.ItemDataRole.FontRole).bold()  # noticeable, not alarming
    assert overdue_when.data(Qt.ItemDataRole.ToolTipRole) == "Due Friday 20 November 2026"
    assert (
        model.index_of(several["today"]).siblingAtColumn(WHEN).data(Qt.ItemDataRole.FontRole)
        is None
    )
    # Bucket rows are headings: they span the row and cannot be selected.
    assert screen.tree.isFirstColumnSpanned(0, QModelIndex())
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable


def test_arrow_keys_move_between_follow_ups_over_the_headings(
    qtbot, screen: FollowUpsScreen, several: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    screen.select_follow_up(several["overdue"])
    screen.tree.setFocus()
    qtbot.keyClick(screen.tree, Qt.Key.Key_Down)
    assert screen.selected_follow_up().id == several["today"]
    qtbot.keyClick(screen.tree, Qt.Key.Key_Down)
    assert screen.selected_follow_up().id == several["week"]
    qtbot.keyClick(screen.tree, Qt.Key.Key_Up)
    assert screen.selected_follow_up().id == several["today"]


def test_showing_the_screen_on_a_new_day_moves_the_buckets(
    qtbot, controller, follow_ups, roster, dialogs, several
) -> None:  # type: ignore[no-untyped-def]
    day = [TODAY]
    screen = FollowUpsScreen(controller, follow_ups, roster, dialogs, today=lambda: day[0])
    qtbot.addWidget(screen)
    screen.show()
    assert names_in(screen, DueBucket.TODAY) == ["Nguyễn Thị Lan"]
    screen.hide()
    day[0] = TODAY + dt.timedelta(days=1)
    screen.show()
    assert names_in(screen, DueBucket.OVERDUE) == ["Ágnes Kovács", "Nguyễn Thị Lan"]
    assert row_texts(screen, several["overdue"])[WHEN] == "6 days overdue"
    assert row_texts(screen, several["today"])[WHEN] == "1 day overdue"


def test_empty_list_says_so(make_screen, circle) -> None:  # type: ignore[no-untyped-def]
    screen = make_screen()
    assert screen.list_stack.currentWidget() is screen.empty_message
    assert screen.subtitle.text() == "Nothing due."


def test_qtmodeltester_on_both_models(screen: FollowUpsScreen, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(screen.model, force_py=True)
    qtmodeltester.check(screen.suggestion_model, force_py=True)
    screen.model.clear()
    screen.suggestion_model.clear()
    qtmodeltester.check(screen.model, force_py=True)
    qtmodeltester.check(screen.suggestion_model, force_py=True)


# ---- writing --------------------------------------------------------------------------------


def test_new_follow_up_with_ctrl_n(
    qtbot, screen: FollowUpsScreen, follow_ups: FollowUpService, circle, answer
) -> None:  # type: ignore[no-untyped-def]
    counts: list[DueCounts] = []
    screen.counts_changed.connect(counts.append)

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.windowTitle() == "New follow-up"
        assert not dialog.save_button.isEnabled()  # no one chosen yet
        dialog.member.lineEdit().insert("tom")  # any case, no accents needed
        assert dialog.member.member_id() is None  # part of a name is not a choice yet
        popup = dialog.member.completer().popup()
        assert popup.isVisible()
        assert [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())] == [
            "Tomás"
        ]
        popup.setCurrentIndex(popup.model().index(0, 0))
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert dialog.member.currentText() == "Tomás"
        assert dialog.member.member_id() == circle.tomas
        qtbot.mouseClick(dialog.quick_dates["Friday"], Qt.MouseButton.LeftButton)
        dialog.reason.insert("ask whether Thursdays suit him better")
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(fill)
    screen.tree.setFocus()
    qtbot.keyClick(screen.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    chosen = screen.selected_follow_up()
    assert chosen is not None
    assert (chosen.member_name, chosen.due_date, chosen.reason) == (
        "Tomás",
        dt.date(2026, 11, 27),
        "ask whether Thursdays suit him better",
    )
    assert chosen.group_name == "Tuesday Circle"  # his one group
    assert chosen.source is FollowUpSource.MEMBER
    assert names_in(screen, DueBucket.THIS_WEEK) == ["Siobhán", "Tomás"]
    assert counts[-1] == DueCounts(overdue=1, today=1, this_week=2, later=1)
    assert "Tomás" not in suggestion_names(screen)  # he has an open follow-up now


def test_new_follow_up_from_a_member(screen: FollowUpsScreen, circle, answer) -> None:  # type: ignore[no-untyped-def]
    def check(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.member.currentText() == "Ольга"
        assert dialog.reason.text() == "she asked about the parents' group"
        assert dialog.due.date().toPython() == suggested_due_date(TODAY)
        dialog.save_button.click()

    answer(check)
    saved = screen.new_follow_up(
        member_id=circle.olga, group_id=circle.group_id, reason="she asked about the parents' group"
    )
    assert saved is not None
    assert (saved.member_id, saved.group_id) == (circle.olga, circle.group_id)


def test_edit_with_f2(
    qtbot, screen: FollowUpsScreen, follow_ups: FollowUpService, several, answer
) -> None:  # type: ignore[no-untyped-def]
    def change(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.windowTitle() == "Edit follow-up"
        assert dialog.member.currentText() == "Ágnes Kovács"
        assert dialog.reason.text() == REASONS["overdue"]
        qtbot.mouseClick(dialog.quick_dates["Tomorrow"], Qt.MouseButton.LeftButton)
        dialog.reason.selectAll()
        dialog.reason.insert("ask how the first week at the bakery went")
        dialog.save_button.click()

    answer(change)
    screen.select_follow_up(several["overdue"])
    screen.tree.setFocus()
    qtbot.keyClick(screen.tree, Qt.Key.Key_F2)
    stored = follow_ups.follow_up(several["overdue"])
    assert stored.due_date == dt.date(2026, 11, 26)
    assert stored.reason == "ask how the first week at the bakery went"
    assert screen.selected_follow_up() == stored
    assert names_in(screen, DueBucket.OVERDUE) == []
    assert "Overdue · 1" not in [screen.model.index(r, 0).data() for r in range(5)]


def test_double_click_edits(qtbot, screen: FollowUpsScreen, several, answer) -> None:  # type: ignore[no-untyped-def]
    titles: list[str] = []

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        titles.append(dialog.windowTitle())
        dialog.reject()

    answer(look)
    index = screen.model.index_of(several["week"]).siblingAtColumn(ABOUT)
    where = screen.tree.visualRect(index).center()
    qtbot.mouseClick(screen.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(screen.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert titles == ["Edit follow-up"]
    assert screen.selected_follow_up().id == several["week"]
    # A heading is not a follow-up: nothing opens.
    heading = screen.tree.visualRect(screen.model.index(0, 0)).center()
    qtbot.mouseClick(screen.tree.viewport(), Qt.MouseButton.LeftButton, pos=heading)
    qtbot.mouseDClick(screen.tree.viewport(), Qt.MouseButton.LeftButton, pos=heading)
    assert titles == ["Edit follow-up"]


def test_done_with_outcome_then_reopen(
    qtbot, screen: FollowUpsScreen, follow_ups: FollowUpService, several, clock, answer
) -> None:  # type: ignore[no-untyped-def]
    clock.now = NOW + dt.timedelta(hours=2)
    seen: list[DoneDialog] = []

    def say_how(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, DoneDialog)
        seen.append(dialog)
        assert dialog.heading.text() == "How did it go?"
        assert "Nguyễn Thị Lan" in dialog.context.text()
        dialog.outcome_edit.insertPlainText("  Lent it; we will talk on Tuesday.  ")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(say_how)
    screen.select_follow_up(several["today"])
    screen.tree.setFocus()
    qtbot.keyClick(screen.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    stored = follow_ups.follow_up(several["today"])
    assert stored.done and stored.outcome == "Lent it; we will talk on Tuesday."
    assert seen[0].outcome_edit.toPlainText() == ""  # wiped on close
    assert not seen[0].outcome_edit.document().isUndoAvailable()
    assert names_in(screen, DueBucket.DONE) == ["Nguyễn Thị Lan", "Siobhán"]  # latest first
    assert screen.selected_follow_up().id == several["today"]
    assert screen.reopen_button.isVisible() and not screen.done_button.isVisible()
    assert not screen.done_action.isEnabled()

    qtbot.mouseClick(screen.reopen_button, Qt.MouseButton.LeftButton)
    stored = follow_ups.follow_up(several["today"])
    assert not stored.done and stored.outcome is None
    assert names_in(screen, DueBucket.TODAY) == ["Nguyễn Thị Lan"]
    assert screen.done_button.isVisible() and not screen.reopen_button.isVisible()


def test_done_without_outcome(
    screen: FollowUpsScreen, follow_ups: FollowUpService, several, answer
) -> None:  # type: ignore[no-untyped-def]
    answer(lambda dialog: dialog.save_button.click())
    screen.select_follow_up(several["week"])
    screen.done_button.click()
    assert follow_ups.follow_up(several["week"]).outcome == ""
    assert row_texts(screen, several["week"])[ABOUT] == REASONS["week"]


def test_delete_asks_first(
    qtbot, screen: FollowUpsScreen, follow_ups: FollowUpService, several, dialogs
) -> None:  # type: ignore[no-untyped-def]
    screen.select_follow_up(several["later"])
    dialogs.confirm_answer = False
    screen.tree.setFocus()
    qtbot.keyClick(screen.tree, Qt.Key.Key_Delete)
    assert dialogs.asked[0][0] == "Delete follow-up"
    assert "Nguyễn Thị Lan" in dialogs.asked[0][1]
    assert screen.model.follow_up_count() == 5
    dialogs.confirm_answer = True
    qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    assert screen.model.follow_up_count() == 4
    assert [f.id for f in follow_ups.follow_ups(TODAY)].count(several["later"]) == 0


def test_changed_or_deleted_elsewhere_is_said_clearly(
    screen: FollowUpsScreen, follow_ups: FollowUpService, several, dialogs, answer
) -> None:  # type: ignore[no-untyped-def]
    shown = follow_ups.follow_up(several["week"])
    follow_ups.update(shown.id, shown.draft(), shown.version)  # another window saved it
    answer(lambda dialog: dialog.save_button.click())
    screen.select_follow_up(several["week"])
    screen.done_button.click()
    assert dialogs.errors[-1][0] == "Not saved"
    assert "changed" in dialogs.errors[-1][1].lower()
    assert not follow_ups.follow_up(several["week"]).done

    screen.select_follow_up(several["done"])
    follow_ups.delete(several["done"])
    screen.reopen_button.click()
    assert dialogs.errors[-1] == ("Not reopened", "That follow-up no longer exists.")
    assert screen.model.follow_up_count() == 4


def test_reason_too_long_is_refused_inline(screen: FollowUpsScreen, several, answer) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []

    def too_long(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.reason.selectAll()
        dialog.reason.insert("x" * 301)
        messages.append(dialog.errors["reason"].text())
        assert not dialog.save_button.isEnabled()
        dialog.reject()

    answer(too_long)
    screen.select_follow_up(several["week"])
    screen.edit_selected()
    assert messages == ["The reason is too long (301 characters; at most 300)."]


# ---- suggestions ----------------------------------------------------------------------------


def test_accept_a_suggestion(
    qtbot, screen: FollowUpsScreen, follow_ups: FollowUpService, circle, answer
) -> None:  # type: ignore[no-untyped-def]
    def check_and_save(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.member.currentText() == "Ольга"
        assert not dialog.member.isEnabled()  # a suggestion is about one person
        assert dialog.about.text().startswith("Missed the last 2 meetings of Tuesday Circle")
        assert dialog.reason.text() == "Missed the last 2 meetings — check in kindly"
        assert dialog.due.date().toPython() == dt.date(2026, 11, 27)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(check_and_save)
    select_suggestion(screen, "Ольга")
    qtbot.mouseClick(screen.accept_button, Qt.MouseButton.LeftButton)
    assert suggestion_names(screen) == ["Tomás"]
    chosen = screen.selected_follow_up()
    assert chosen is not None and chosen.member_name == "Ольга"
    assert chosen.source is FollowUpSource.ATTENDANCE
    assert chosen.reason == "Missed the last 2 meetings — check in kindly"
    assert names_in(screen, DueBucket.THIS_WEEK) == ["Siobhán", "Ольга"]


def test_dismiss_a_suggestion_for_good(
    screen: FollowUpsScreen, follow_ups: FollowUpService, dialogs
) -> None:  # type: ignore[no-untyped-def]
    select_suggestion(screen, "Tomás")
    screen.dismiss_button.click()
    assert dialogs.asked == []  # no confirmation: dismissing is calm and small
    assert suggestion_names(screen) == ["Ольга"]
    assert screen.selected_suggestion().member_name == "Ольга"  # ready for the next one
    screen.refresh()
    assert suggestion_names(screen) == ["Ольга"]
    screen.dismiss_button.click()
    assert suggestion_names(screen) == []
    assert screen.suggestions.empty.isVisible()
    assert not screen.accept_button.isEnabled()
    assert len(follow_ups.follow_ups(TODAY)) == 5


def test_cancelling_a_suggestion_keeps_it(screen: FollowUpsScreen, answer) -> None:  # type: ignore[no-untyped-def]
    answer(lambda dialog: dialog.reject())
    select_suggestion(screen, "Tomás")
    assert screen.accept_selected_suggestion() is None
    assert suggestion_names(screen) == ["Ольга", "Tomás"]


# ---- counts -----------------------------------------------------------------------------------


def test_counts_changed_after_every_change(
    qtbot, screen: FollowUpsScreen, several, dialogs
) -> None:  # type: ignore[no-untyped-def]
    assert screen.counts == DueCounts(overdue=1, today=1, this_week=1, later=1)
    screen.select_follow_up(several["overdue"])
    with qtbot.waitSignal(screen.counts_changed) as blocker:
        screen.delete_selected()
    assert blocker.args == [DueCounts(overdue=0, today=1, this_week=1, later=1)]
    assert blocker.args[0].due_now == 1
    assert screen.subtitle.text() == "1 today · 1 this week · 1 later"
