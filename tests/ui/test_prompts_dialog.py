"""Facilitator Prompts: editing the deck in place, saving it safely, putting ours back."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLineEdit, QWidget

from peercircle.services.prompts import (
    DAMAGED_COPY_FILENAME,
    PromptCategory,
    PromptDeck,
    clean_prompt,
    is_customised,
    parse_deck,
    save_deck,
    shipped_deck,
    user_deck_path,
)
from peercircle.ui.round.prompts_dialog import NEW_CATEGORY, PromptsDialog, edit_prompts
from peercircle.ui.round.prompts_models import CategoryListModel, EditableListView, TextListModel

MINE = PromptDeck(
    (
        PromptCategory("Opening", ("Hur mår du i dag?", "How are you arriving today?")),
        PromptCategory("Empty for now", ()),
        PromptCategory("Closing", ("Що ви берете з собою?",)),
    )
)


@pytest.fixture
def open_dialog(qtbot, data_dir: Path, dialogs) -> Callable[[], PromptsDialog]:  # type: ignore[no-untyped-def]
    def make() -> PromptsDialog:
        dialog = PromptsDialog(data_dir, dialogs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def type_in_place(qtbot, view: EditableListView, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type over the text in the open in-place editor, then press Enter."""
    assert view.state() == QAbstractItemView.State.EditingState
    [editor] = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    editor.selectAll()
    editor.insert(text)  # QTest.keyClicks cannot type these letters
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the view commits and closes its editor a moment later
    assert view.state() != QAbstractItemView.State.EditingState


def texts(view: EditableListView) -> list[str]:
    model = view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_list_models(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    prompts = TextListModel(clean_prompt, lambda text, row: None if text else "Empty.")
    prompts.set_texts(["Один", "Two", "Három"])
    qtmodeltester.check(prompts, force_py=True)
    assert prompts.move_text(0, 2) and prompts.texts() == ["Two", "Három", "Один"]
    assert not prompts.move_text(0, 3)
    assert prompts.setData(prompts.index(0), "  Two\n and a half ")
    assert prompts.texts()[0] == "Two and a half"
    assert not prompts.setData(prompts.index(0), "   ")
    qtmodeltester.check(prompts, force_py=True)

    categories = CategoryListModel()
    categories.set_deck(MINE)
    qtmodeltester.check(categories, force_py=True)
    categories.move_text(0, 2)
    assert categories.deck().categories == (
        MINE.categories[1],
        MINE.categories[2],
        MINE.categories[0],
    )
    index = categories.add_category(1, "Closing", ["Bye for now."])
    assert index.data() == "Closing 2"
    assert categories.prompts_of(1) == ["Bye for now."]
    categories.remove_text(0)
    assert [c.name for c in categories.deck().categories] == ["Closing 2", "Closing", "Opening"]
    assert not categories.setData(categories.index(0), "closing")
    qtmodeltester.check(categories, force_py=True)


def test_it_opens_on_our_prompts(open_dialog: Callable[[], PromptsDialog]) -> None:
    dialog = open_dialog()
    ours = shipped_deck()
    assert dialog.windowTitle() == "Facilitator Prompts"
    assert dialog.deck() == ours
    assert texts(dialog.category_view) == [c.name for c in ours.categories]
    assert texts(dialog.prompt_view) == list(ours.categories[0].prompts)
    assert dialog.prompts_title.text() == f"Prompts in “{ours.categories[0].name}”"
    assert not dialog.restore_button.isEnabled()  # nothing of their own to remove
    assert dialog.problem_label.isHidden()
    assert not dialog.has_changes()
    assert dialog.category_view.accessibleName() == "Categories"
    assert dialog.prompt_view.accessibleName() == "Prompts"


def test_add_a_category_and_prompts_reorder_and_save(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
    data_dir: Path,
    dialogs,
) -> None:
    dialog = open_dialog()
    dialog.add_category_button.click()
    assert dialog.categories.texts()[1] == NEW_CATEGORY
    type_in_place(qtbot, dialog.category_view, "  Ἀρχή ·  Beginning ")
    assert dialog.prompts_title.text() == "Prompts in “Ἀρχή · Beginning”"
    assert texts(dialog.prompt_view) == []

    dialog.add_prompt_button.click()
    type_in_place(qtbot, dialog.prompt_view, "Hogy érzed most magad?")
    dialog.add_prompt_button.click()
    type_in_place(qtbot, dialog.prompt_view, "What brought you here tonight?")
    assert texts(dialog.prompt_view) == ["Hogy érzed most magad?", "What brought you here tonight?"]
    qtbot.keyClick(dialog.prompt_view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert texts(dialog.prompt_view) == ["What brought you here tonight?", "Hogy érzed most magad?"]
    assert dialog.prompt_view.currentIndex().row() == 0
    dialog.down_button.click()
    dialog.up_button.click()
    assert dialog.prompt_view.currentIndex().row() == 0

    # Enter on a row edits it; it never saves or closes the dialog.
    qtbot.keyClick(dialog.prompt_view, Qt.Key.Key_Return)
    type_in_place(qtbot, dialog.prompt_view, "What brought you here today?")
    assert dialog.isVisible()

    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialogs.errors
    on_disk = parse_deck(user_deck_path(data_dir).read_text(encoding="utf-8"))
    assert on_disk == dialog.deck()
    assert on_disk.categories[1] == PromptCategory(
        "Ἀρχή · Beginning", ("What brought you here today?", "Hogy érzed most magad?")
    )
    assert on_disk.categories[0] == shipped_deck().categories[0]


def test_edits_that_would_not_work_are_refused_with_a_word(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
) -> None:
    dialog = open_dialog()
    first, second = dialog.categories.texts()[:2]
    dialog.category_view.setCurrentIndex(dialog.categories.index(1))
    dialog.rename_category_button.click()
    type_in_place(qtbot, dialog.category_view, first.upper())
    assert dialog.categories.texts()[1] == second
    assert dialog.message.isVisibleTo(dialog)
    assert f"already a category called “{first.upper()}”" in dialog.message.text()

    prompt = texts(dialog.prompt_view)[0]
    dialog.edit_prompt_button.click()
    type_in_place(qtbot, dialog.prompt_view, "   ")
    assert texts(dialog.prompt_view)[0] == prompt
    assert dialog.message.text() == "A prompt cannot be empty."
    dialog.edit_prompt_button.click()
    type_in_place(qtbot, dialog.prompt_view, "Ezt hogyan élted meg?")
    assert dialog.message.isHidden()
    assert dialog.deck().categories[1].prompts[0] == "Ezt hogyan élted meg?"


def test_removing_a_category_with_prompts_asks_first(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
    data_dir: Path,
    dialogs,
) -> None:
    save_deck(data_dir, MINE)
    dialog = open_dialog()
    dialogs.confirm_answer = False
    qtbot.keyClick(dialog.category_view, Qt.Key.Key_Delete)
    assert dialogs.asked == [
        ("Remove a category", "Remove the category “Opening” and its 2 prompts?")
    ]
    assert dialog.categories.texts() == ["Opening", "Empty for now", "Closing"]
    dialogs.confirm_answer = True
    dialog.remove_category_button.click()
    assert dialog.categories.texts() == ["Empty for now", "Closing"]
    assert dialog.prompts_title.text() == "Prompts in “Empty for now”"
    asked = len(dialogs.asked)
    dialog.remove_category_button.click()  # empty: gone without a question
    assert len(dialogs.asked) == asked
    assert dialog.categories.texts() == ["Closing"]
    assert texts(dialog.prompt_view) == ["Що ви берете з собою?"]


def test_prompts_move_with_their_category(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
    data_dir: Path,
) -> None:
    save_deck(data_dir, MINE)
    dialog = open_dialog()
    qtbot.keyClick(dialog.category_view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(dialog.category_view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert dialog.categories.texts() == ["Empty for now", "Closing", "Opening"]
    assert dialog.category_view.currentIndex().row() == 2
    assert texts(dialog.prompt_view) == list(MINE.categories[0].prompts)
    qtbot.keyClick(dialog.prompt_view, Qt.Key.Key_Delete)
    assert dialog.deck().categories[2].prompts == ("How are you arriving today?",)


def test_cancel_saves_nothing_and_asks_before_dropping_changes(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
    data_dir: Path,
    dialogs,
) -> None:
    dialog = open_dialog()
    dialog.buttons.rejected.emit()  # no changes: closes without a question
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialogs.asked

    dialog = open_dialog()
    dialog.remove_prompt_button.click()
    assert dialog.has_changes()
    dialogs.confirm_answer = False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialogs.asked[-1][0] == "Unsaved changes"
    dialogs.confirm_answer = True
    dialog.reject()
    assert not dialog.isVisible()
    assert not is_customised(data_dir)
    assert not data_dir.exists()


def test_restore_asks_then_removes_their_own_file(
    open_dialog: Callable[[], PromptsDialog], data_dir: Path, dialogs
) -> None:
    save_deck(data_dir, MINE)
    dialog = open_dialog()
    assert dialog.deck() == MINE
    assert dialog.restore_button.isEnabled()
    dialogs.confirm_answer = False
    dialog.restore_button.click()
    assert dialogs.asked[-1][0] == "Restore our prompts"
    assert is_customised(data_dir) and dialog.isVisible()
    dialogs.confirm_answer = True
    dialog.restore_button.click()
    assert not is_customised(data_dir)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_failed_save_says_why_and_keeps_the_edits(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
    data_dir: Path,
    dialogs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_deck(data_dir, MINE)
    before = user_deck_path(data_dir).read_bytes()
    dialog = open_dialog()
    dialog.add_prompt_button.click()
    type_in_place(qtbot, dialog.prompt_view, "Mikä tänään auttoi?")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    dialog.save_button.click()
    [(title, text)] = dialogs.errors
    assert title == "Prompts not saved" and "the disk is full" in text
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "Mikä tänään auttoi?" in dialog.deck().categories[0].prompts
    assert user_deck_path(data_dir).read_bytes() == before

    monkeypatch.undo()
    assert dialog.save()
    assert (
        "Mikä tänään auttoi?"
        in parse_deck(user_deck_path(data_dir).read_text()).categories[0].prompts
    )


def test_a_deck_with_no_prompts_is_not_saved(
    open_dialog: Callable[[], PromptsDialog], data_dir: Path, dialogs
) -> None:
    dialog = open_dialog()
    while dialog.categories.rowCount():
        dialog.remove_category_button.click()
    assert not dialog.add_prompt_button.isEnabled()
    assert not dialog.save()
    assert "no prompts to save" in dialogs.errors[-1][1]
    assert dialog.isVisible() and not is_customised(data_dir)


def test_a_damaged_file_is_explained_and_kept_when_saving_over_it(
    open_dialog: Callable[[], PromptsDialog], data_dir: Path
) -> None:
    data_dir.mkdir()
    damaged = "- Before any heading\n## Mine\n- Mine too\n"
    user_deck_path(data_dir).write_text(damaged, encoding="utf-8")
    dialog = open_dialog()
    assert dialog.deck() == shipped_deck()
    assert dialog.problem_label.isVisibleTo(dialog)
    assert "Line 1:" in dialog.problem_label.text()
    assert dialog.restore_button.isEnabled()
    assert dialog.save()
    assert (data_dir / DAMAGED_COPY_FILENAME).read_text(encoding="utf-8") == damaged


def test_edit_prompts_tells_whether_anything_changed(
    data_dir: Path,
    dialogs,
    answer_dialog: Callable[[Callable[[QWidget], None]], None],
) -> None:
    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, PromptsDialog)
        dialog.reject()

    answer_dialog(cancel)
    assert edit_prompts(data_dir, dialogs) is False

    def change_and_save(dialog: QWidget) -> None:
        assert isinstance(dialog, PromptsDialog)
        dialog.remove_prompt_button.click()
        dialog.save_button.click()

    answer_dialog(change_and_save)
    assert edit_prompts(data_dir, dialogs) is True
    assert is_customised(data_dir)


def test_a_prompt_still_being_typed_is_saved_too(
    qtbot,  # type: ignore[no-untyped-def]
    open_dialog: Callable[[], PromptsDialog],
    data_dir: Path,
) -> None:
    dialog = open_dialog()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.add_prompt_button.click()
    [editor] = [e for e in dialog.prompt_view.findChildren(QLineEdit) if e.isVisible()]
    editor.selectAll()
    editor.insert("Ngozi, what would you like us to hear?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = parse_deck(user_deck_path(data_dir).read_text(encoding="utf-8"))
    assert "Ngozi, what would you like us to hear?" in saved.categories[0].prompts
