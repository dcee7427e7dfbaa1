"""The vault dialogs and the Private menu: setting up and the recovery code, changing the
passphrase, a new code, recovery, starting over, unlocking — and that no dialog keeps a
passphrase or a code in a widget once it has closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from peercircle.db import Database
from peercircle.db.models import VaultKeySlot
from peercircle.domain import KeySlotKind
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams, new_recovery_code
from peercircle.services.vault_types import (
    DamagedKeySlotError,
    VaultState,
    WrongPassphraseError,
    WrongRecoveryCodeError,
)
from peercircle.ui.printing.preview_dialog import PdfPreviewDialog
from peercircle.ui.vault.passphrase_dialogs import (
    ChangePassphraseDialog,
    NewRecoveryCodeDialog,
    UnlockDialog,
    change_passphrase,
    make_new_recovery_code,
    unlock_vault,
)
from peercircle.ui.vault.recovery_dialog import (
    RecoveryDialog,
    StartOverDialog,
    recover_vault,
    reset_vault,
)
from peercircle.ui.vault.setup_dialog import (
    CodeDialog,
    SetupVaultDialog,
    code_display,
    set_up_vault,
)
from peercircle.ui.vault.vault_controller import IDLE_SETTINGS_KEY, VaultController
from peercircle.ui.vault.vault_menu import VaultMenu, idle_label
from peercircle.ui.vault.vault_widgets import NewPassphraseFields

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
NEW_PASSPHRASE = "Nguyễn's green umbrella"
TODAY = dt.date(2026, 11, 24)
Answer = Callable[[Callable[[QWidget], None]], None]


@pytest.fixture
def vault(db: Database) -> VaultService:
    return VaultService(db, kdf_params=FAST)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def controller(qtbot, vault: VaultService, settings: QSettings) -> Iterator[VaultController]:  # type: ignore[no-untyped-def]
    made = VaultController(vault, settings=settings, watch_activity=False)
    yield made
    made.stop_watching()


@pytest.fixture
def parent(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _shown(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _set_up(controller: VaultController) -> str:
    code = controller.vault.set_up(PASSPHRASE)
    controller.notify_unlocked()
    return code


def _texts(root: QWidget) -> list[str]:
    """The text of every widget in ``root`` that has one (labels, fields, buttons)."""
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        text = getattr(widget, "text", None)
        if callable(text):
            texts.append(str(text()))
    return texts


def _keeps(root: QWidget, secret: str) -> bool:
    return any(secret in text for text in _texts(root))


def _code_pieces(code: str) -> list[str]:
    """The ways a code can show: as given, on its two display lines, without dashes."""
    return [code, *code_display(code).splitlines(), code.replace("-", "")]


def _fill(edit: QLineEdit, text: str) -> None:
    edit.setText("")
    edit.insert(text)  # keyClicks cannot type non-ASCII text


def _fill_new(fields: NewPassphraseFields, passphrase: str) -> None:
    """The new passphrase, typed the same in both fields."""
    _fill(fields.passphrase, passphrase)
    _fill(fields.repeated, passphrase)


def _fill_recovery(dialog: RecoveryDialog, code: str) -> None:
    _fill(dialog.code, code)
    _fill_new(dialog.fields, NEW_PASSPHRASE)


def _code_shown(dialog: CodeDialog) -> str:
    """The code on the code page, as one line."""
    return dialog.code_page.code_label.text().replace("\n", "-")


def _done_with_code(dialog: CodeDialog) -> None:
    dialog.code_page.written_down.setChecked(True)
    dialog.code_page.done_button.click()


def _set_up_in_dialog(qtbot, vault: VaultService, dialogs) -> tuple[SetupVaultDialog, str]:  # type: ignore[no-untyped-def]
    """A set-up dialog, shown, that has just set the vault up; the code it shows."""
    dialog = SetupVaultDialog(vault, dialogs, today=lambda: TODAY)
    _shown(qtbot, dialog)
    _fill_new(dialog.fields, PASSPHRASE)
    assert dialog.set_up()
    return dialog, _code_shown(dialog)


def _only_the_new_passphrase_unlocks(vault: VaultService) -> None:
    vault.lock()
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASSPHRASE)
    vault.unlock(NEW_PASSPHRASE)
    assert vault.is_unlocked


# ---- setting up ----------------------------------------------------------------------------


def test_setting_up_shows_a_recovery_code_that_unlocks(qtbot, vault: VaultService, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, SetupVaultDialog(vault, dialogs, today=lambda: TODAY))
    assert "not even us" in " ".join(_texts(dialog))
    assert dialog.fields.passphrase.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.fields.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.fields.repeated, PASSPHRASE)
    qtbot.mouseClick(dialog.set_up_button, Qt.MouseButton.LeftButton)

    assert dialog.was_set_up
    assert dialog.pages.currentWidget() is dialog.code_page
    code = _code_shown(dialog)
    assert len(code) == 39 and code.count("-") == 7
    assert dialog.code_page.code_label.textInteractionFlags() & (
        Qt.TextInteractionFlag.TextSelectableByMouse
    )
    vault.lock()
    vault.unlock_with_recovery_code(code)
    assert vault.is_unlocked

    # Done only once the checkbox is ticked.
    assert not dialog.code_page.done_button.isEnabled()
    dialog.code_page.written_down.setChecked(True)
    assert dialog.code_page.done_button.isEnabled()
    assert _keeps(dialog, code_display(code).splitlines()[0])  # (the check below can fail)
    qtbot.mouseClick(dialog.code_page.done_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    for secret in [PASSPHRASE, *_code_pieces(code)]:
        assert not _keeps(dialog, secret)
    assert not dialog.code_page.has_code


def test_a_short_passphrase_is_explained_inline_and_sets_nothing_up(
    qtbot, vault: VaultService, dialogs
) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, SetupVaultDialog(vault, dialogs))
    qtbot.keyClicks(dialog.fields.passphrase, "kettle")
    qtbot.keyClicks(dialog.fields.repeated, "kettle")
    assert not dialog.set_up()
    assert dialog.fields.passphrase_error.isVisible()
    assert "at least 8 characters" in dialog.fields.passphrase_error.text()
    assert dialog.fields.repeated_error.isHidden()
    assert not vault.is_set_up()
    assert dialog.pages.currentIndex() == 0
    qtbot.keyClicks(dialog.fields.passphrase, "s")  # editing the field clears its message
    assert dialog.fields.passphrase_error.isHidden()


def test_two_different_passphrases_are_explained_under_the_second(
    qtbot, vault: VaultService, dialogs
) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, SetupVaultDialog(vault, dialogs))
    qtbot.keyClicks(dialog.fields.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.fields.repeated, PASSPHRASE + "s")
    qtbot.mouseClick(dialog.set_up_button, Qt.MouseButton.LeftButton)
    assert dialog.fields.passphrase_error.isHidden()
    assert dialog.fields.repeated_error.text() == (
        "The two passphrases are not the same. Type them again."
    )
    assert not vault.is_set_up()


def test_show_passphrase_shows_both_fields(qtbot, vault: VaultService, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, SetupVaultDialog(vault, dialogs))
    dialog.show_passphrase.setChecked(True)
    assert {e.echoMode() for e in dialog.fields.edits} == {QLineEdit.EchoMode.Normal}
    dialog.show_passphrase.setChecked(False)
    assert {e.echoMode() for e in dialog.fields.edits} == {QLineEdit.EchoMode.Password}


def test_closing_the_code_page_without_the_checkbox_asks_first(
    qtbot, vault: VaultService, dialogs
) -> None:  # type: ignore[no-untyped-def]
    dialog, code = _set_up_in_dialog(qtbot, vault, dialogs)

    dialogs.confirm_answer = False
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialogs.asked[-1][0] == "Close without your recovery code?"
    assert dialog.isVisible()
    assert _keeps(dialog, code_display(code).splitlines()[1])

    dialogs.confirm_answer = True
    dialog.close()
    assert not dialog.isVisible()
    assert len(dialogs.asked) == 2
    assert vault.is_set_up()  # set up either way
    for secret in [PASSPHRASE, *_code_pieces(code)]:
        assert not _keeps(dialog, secret)


def test_cancelling_before_setting_up_asks_nothing(qtbot, vault: VaultService, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, SetupVaultDialog(vault, dialogs))
    _fill(dialog.fields.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialogs.asked == []
    assert not vault.is_set_up()
    assert not _keeps(dialog, PASSPHRASE)


def test_set_up_vault_runs_the_dialog_and_tells_the_controller(
    qtbot, controller: VaultController, dialogs, parent: QWidget, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, SetupVaultDialog)
        _fill_new(dialog.fields, PASSPHRASE)
        dialog.set_up_button.click()
        _done_with_code(dialog)

    answer_dialog(answer)
    with qtbot.waitSignals([controller.unlocked, controller.state_changed]):
        assert set_up_vault(controller, dialogs, parent)
    assert controller.state is VaultState.UNLOCKED

    assert not set_up_vault(controller, dialogs, parent)  # only once
    assert dialogs.infos[-1][0] == "Already set up"


def test_the_recovery_code_saved_as_a_pdf(
    qtbot, vault: VaultService, dialogs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog, code = _set_up_in_dialog(qtbot, vault, dialogs)
    dialogs.save_path = tmp_path / "my code"
    dialog.code_page.save_button.click()
    saved = tmp_path / "my code.pdf"
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    for line in code_display(code).splitlines():
        assert line in text
    assert "24 November 2026" in text
    assert "Saved to" in dialog.code_page.status.text()
    assert dialog.code_page.preview is None


def test_print_shows_the_recovery_sheet_in_the_preview(
    qtbot, vault: VaultService, dialogs, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    dialog, _code = _set_up_in_dialog(qtbot, vault, dialogs)
    seen: list[str] = []

    def look(preview: QWidget) -> None:
        assert isinstance(preview, PdfPreviewDialog)
        seen.append(preview.windowTitle())
        seen.append(preview.page_count.text())
        assert b"%PDF" in preview.data[:8]
        preview.close_button.click()

    answer_dialog(look)
    dialog.code_page.print_button.click()
    assert seen == ["Recovery code", "1 page"]
    assert dialog.code_page.preview is None


# ---- changing the passphrase ---------------------------------------------------------------


def test_change_passphrase_checks_the_current_one(
    qtbot, controller: VaultController, dialogs
) -> None:  # type: ignore[no-untyped-def]
    _set_up(controller)
    dialog = _shown(qtbot, ChangePassphraseDialog(controller, dialogs))
    _fill(dialog.current, "not my passphrase")
    _fill_new(dialog.fields, NEW_PASSPHRASE)
    assert not dialog.change()
    assert dialog.current_error.isVisible()
    assert "not your current passphrase" in dialog.current_error.text()
    assert dialog.isVisible()

    _fill(dialog.current, PASSPHRASE)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    for secret in (PASSPHRASE, NEW_PASSPHRASE):
        assert not _keeps(dialog, secret)
    _only_the_new_passphrase_unlocks(controller.vault)


def test_change_passphrase_explains_a_weak_new_one_and_a_missing_current_one(
    qtbot, controller: VaultController, dialogs
) -> None:  # type: ignore[no-untyped-def]
    _set_up(controller)
    dialog = _shown(qtbot, ChangePassphraseDialog(controller, dialogs))
    _fill(dialog.fields.passphrase, "short")
    assert not dialog.change()
    assert dialog.current_error.text() == "Type your passphrase first."
    assert "at least 8" in dialog.fields.passphrase_error.text()


def test_change_passphrase_flow_confirms_and_needs_the_notes_unlocked(
    controller: VaultController, dialogs, parent: QWidget, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    assert not change_passphrase(controller, dialogs, parent)
    assert dialogs.infos[-1][0] == "Unlock first"
    _set_up(controller)

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, ChangePassphraseDialog)
        _fill(dialog.current, PASSPHRASE)
        _fill_new(dialog.fields, NEW_PASSPHRASE)
        dialog.change_button.click()

    answer_dialog(answer)
    assert change_passphrase(controller, dialogs, parent)
    assert dialogs.infos[-1][0] == "Passphrase changed"


# ---- a new recovery code -------------------------------------------------------------------


def test_a_new_recovery_code_replaces_the_old_one(
    qtbot, controller: VaultController, dialogs
) -> None:  # type: ignore[no-untyped-def]
    old = _set_up(controller)
    dialog = _shown(qtbot, NewRecoveryCodeDialog(controller, dialogs))
    _fill(dialog.passphrase, "wrong passphrase")
    assert not dialog.make_code()
    assert dialog.error.text() == str(WrongPassphraseError())
    assert dialog.pages.currentIndex() == 0

    _fill(dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.code_page
    assert dialog.code_page.title.text() == "Your new recovery code"
    new = _code_shown(dialog)
    assert new != old
    _done_with_code(dialog)
    for secret in [PASSPHRASE, *_code_pieces(new)]:
        assert not _keeps(dialog, secret)

    vault = controller.vault
    vault.lock()
    with pytest.raises(WrongRecoveryCodeError):
        vault.unlock_with_recovery_code(old)
    vault.unlock_with_recovery_code(new)
    assert vault.is_unlocked


def test_the_new_code_flow_reports_whether_a_code_was_made(
    controller: VaultController, dialogs, parent: QWidget, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    _set_up(controller)

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, NewRecoveryCodeDialog)
        dialog.cancel_button.click()

    answer_dialog(cancel)
    assert not make_new_recovery_code(controller, dialogs, parent)

    def make_then_close(dialog: QWidget) -> None:
        assert isinstance(dialog, NewRecoveryCodeDialog)
        _fill(dialog.passphrase, PASSPHRASE)
        dialog.make_button.click()
        dialog.close()  # without ticking the checkbox: asked, and the answer is yes

    answer_dialog(make_then_close)
    assert make_new_recovery_code(controller, dialogs, parent)
    assert dialogs.asked[-1][0] == "Close without your recovery code?"


# ---- a forgotten passphrase ----------------------------------------------------------------


@pytest.fixture
def locked(controller: VaultController) -> str:
    """A vault set up and locked; its recovery code."""
    code = _set_up(controller)
    controller.lock()
    return code


def _recovery(qtbot, controller: VaultController, dialogs, code: str) -> RecoveryDialog:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, RecoveryDialog(controller, dialogs))
    assert isinstance(dialog, RecoveryDialog)
    _fill_recovery(dialog, code)
    return dialog


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the recovery code from your printout."),
        ("ABCD-EFGH", str(WrongRecoveryCodeError(malformed=True))),
        ("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-456!", str(WrongRecoveryCodeError(malformed=True))),
    ],
)
def test_a_mistyped_recovery_code_is_explained(
    qtbot, controller: VaultController, dialogs, locked: str, typed: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    dialog = _recovery(qtbot, controller, dialogs, typed)
    assert not dialog.recover()
    assert dialog.code_error.text() == message
    assert dialog.fields.passphrase_error.isHidden()
    assert controller.state is VaultState.LOCKED


def test_a_wrong_recovery_code_is_explained(
    qtbot, controller: VaultController, dialogs, locked: str
) -> None:  # type: ignore[no-untyped-def]
    dialog = _recovery(qtbot, controller, dialogs, new_recovery_code())
    assert not dialog.recover()
    assert dialog.code_error.text() == str(WrongRecoveryCodeError())
    assert dialog.isVisible()
    assert controller.state is VaultState.LOCKED


def test_a_weak_new_passphrase_is_explained_before_the_code_is_tried(
    qtbot, controller: VaultController, dialogs, locked: str
) -> None:  # type: ignore[no-untyped-def]
    dialog = _recovery(qtbot, controller, dialogs, locked)
    _fill_new(dialog.fields, "tiny")
    assert not dialog.recover()
    assert "at least 8" in dialog.fields.passphrase_error.text()
    assert dialog.code_error.isHidden()
    assert controller.state is VaultState.LOCKED


def test_a_damaged_recovery_key_is_explained(
    qtbot, controller: VaultController, dialogs, db: Database, locked: str
) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        slot = s.query(VaultKeySlot).filter_by(kind=KeySlotKind.RECOVERY).one()
        slot.wrapped_key = bytes(len(slot.wrapped_key))
    dialog = _recovery(qtbot, controller, dialogs, locked)
    assert not dialog.recover()
    assert dialog.error.text() == str(DamagedKeySlotError(recovery=True))
    assert dialog.code_error.isHidden()


def test_the_right_code_sets_a_new_passphrase(
    qtbot, controller: VaultController, dialogs, locked: str
) -> None:  # type: ignore[no-untyped-def]
    forgiving = locked.lower().replace("-", " ")
    dialog = _recovery(qtbot, controller, dialogs, forgiving)
    with qtbot.waitSignal(controller.unlocked):
        qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert controller.state is VaultState.UNLOCKED
    assert dialog.result() == QDialog.DialogCode.Accepted
    for secret in (forgiving, NEW_PASSPHRASE):
        assert not _keeps(dialog, secret)
    vault = controller.vault
    _only_the_new_passphrase_unlocks(vault)
    vault.lock()
    vault.unlock_with_recovery_code(locked)  # the code still works


def test_recover_vault_confirms_the_new_passphrase(
    controller: VaultController, dialogs, parent: QWidget, locked: str, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        _fill_recovery(dialog, locked)
        dialog.recover_button.click()

    answer_dialog(answer)
    assert recover_vault(controller, dialogs, parent)
    assert dialogs.infos[-1][0] == "New passphrase set"


def test_no_recovery_code_leads_to_starting_over(
    controller: VaultController, dialogs, parent: QWidget, locked: str, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def start_over(dialog: QWidget) -> None:
        assert isinstance(dialog, StartOverDialog)
        seen.append(dialog.title.text())
        dialog.cancel_button.click()

    def no_code(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        dialog.no_code_button.click()
        answer_dialog(start_over)

    answer_dialog(no_code)
    assert not recover_vault(controller, dialogs, parent)
    assert seen == ["Start over without your notes?"]
    assert controller.state is VaultState.LOCKED  # nothing deleted


# ---- starting over -------------------------------------------------------------------------


@pytest.fixture
def with_notes(
    controller: VaultController, db: Database, roster: RosterService, locked: str
) -> tuple[int, int]:
    """A group with a member, a note and a follow-up; the vault locked. (group, member)"""
    group = roster.create_group(GroupDraft("Tuesday Circle"))
    member = roster.create_member(MemberDraft("Ольга Петрова"), group_id=group.id)
    controller.vault.unlock(PASSPHRASE)
    NoteService(db, controller.vault).create(
        NoteDraft(group.id, "Check-in", "Ольга spoke about her mother.")
    )
    FollowUpService(db, controller.vault).create(
        FollowUpDraft(member.id, TODAY, "Call about the new job", group_id=group.id)
    )
    controller.lock()
    return group.id, member.id


def test_starting_over_needs_the_word_delete(
    qtbot,
    controller: VaultController,
    dialogs,
    db: Database,
    roster: RosterService,
    with_notes: tuple[int, int],
) -> None:  # type: ignore[no-untyped-def]
    group_id, member_id = with_notes
    dialog = _shown(qtbot, StartOverDialog(controller, dialogs))
    assert not dialog.delete_button.isEnabled()
    assert not dialog.delete_button.isDefault()
    qtbot.keyClicks(dialog.confirm_word, "DELET")
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClick(dialog.confirm_word, Qt.Key.Key_Return)  # Enter deletes nothing
    assert controller.vault.is_set_up()
    qtbot.keyClicks(dialog.confirm_word, "E")
    assert dialog.delete_button.isEnabled()

    with qtbot.waitSignals([controller.locked, controller.state_changed]):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.deleted == (1, 1)
    assert controller.state is VaultState.NOT_SET_UP
    # The roster is untouched; the notes are gone.
    assert [m.id for m in roster.list_members(group_id)] == [member_id]
    assert roster.get_group(group_id).name == "Tuesday Circle"
    assert NoteService(db, controller.vault).count(group_id) == 0
    assert FollowUpService(db, controller.vault).due_counts(TODAY).due_now == 0


def test_reset_vault_says_what_was_deleted_and_offers_to_set_up_again(
    controller: VaultController,
    dialogs,
    parent: QWidget,
    answer_dialog: Answer,
    with_notes: tuple[int, int],
) -> None:  # type: ignore[no-untyped-def]
    offered: list[str] = []

    def setup(dialog: QWidget) -> None:
        assert isinstance(dialog, SetupVaultDialog)
        offered.append(dialog.windowTitle())
        dialog.cancel_button.click()

    def start_over(dialog: QWidget) -> None:
        assert isinstance(dialog, StartOverDialog)
        dialog.confirm_word.insert("delete")
        dialog.delete_button.click()
        answer_dialog(setup)

    answer_dialog(start_over)
    dialogs.confirm_answer = True
    assert reset_vault(controller, dialogs, parent)
    title, text = dialogs.asked[-1]
    assert title == "Private notes deleted"
    assert text.startswith("1 note and 1 follow-up were deleted.")
    assert offered == ["Set up private notes"]
    assert controller.state is VaultState.NOT_SET_UP

    assert not reset_vault(controller, dialogs, parent)  # nothing left to start over
    assert dialogs.infos[-1][0] == "Nothing to start over"


def test_cancelling_start_over_keeps_everything(
    controller: VaultController,
    dialogs,
    parent: QWidget,
    answer_dialog: Answer,
    db: Database,
    with_notes: tuple[int, int],
) -> None:  # type: ignore[no-untyped-def]
    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, StartOverDialog)
        dialog.confirm_word.insert("DELETE")
        dialog.cancel_button.click()

    answer_dialog(cancel)
    assert not reset_vault(controller, dialogs, parent)
    assert controller.state is VaultState.LOCKED
    assert NoteService(db, controller.vault).count(with_notes[0]) == 1


# ---- unlocking from the menu ---------------------------------------------------------------


def test_unlock_dialog(qtbot, controller: VaultController, dialogs, locked: str) -> None:  # type: ignore[no-untyped-def]
    dialog = _shown(qtbot, UnlockDialog(controller, dialogs))
    assert not dialog.unlock()
    assert dialog.error.text() == "Type your passphrase first."
    qtbot.keyClicks(dialog.passphrase, "kettle on the stairs")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.error.text() == str(WrongPassphraseError())
    assert dialog.passphrase.text() == "kettle on the stairs"
    assert controller.state is VaultState.LOCKED

    _fill(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not _keeps(dialog, PASSPHRASE)


def test_forgotten_from_the_unlock_dialog_opens_recovery(
    controller: VaultController, dialogs, parent: QWidget, locked: str, answer_dialog: Answer
) -> None:  # type: ignore[no-untyped-def]
    def recovery(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryDialog)
        _fill_recovery(dialog, locked)
        dialog.recover_button.click()

    def forgot(dialog: QWidget) -> None:
        assert isinstance(dialog, UnlockDialog)
        dialog.forgot_button.click()
        answer_dialog(recovery)

    answer_dialog(forgot)
    assert unlock_vault(controller, dialogs, parent)
    assert controller.state is VaultState.UNLOCKED


# ---- the Private menu ----------------------------------------------------------------------


@pytest.fixture
def menu(controller: VaultController, dialogs, parent: QWidget) -> VaultMenu:  # type: ignore[no-untyped-def]
    return VaultMenu(controller, dialogs, parent)


def _enabled(menu: VaultMenu) -> dict[str, bool]:
    return {
        action.text(): action.isEnabled()
        for action in menu.menu.actions()
        if not action.isSeparator() and action.menu() is None
    }


def test_the_menu_offers_what_fits_each_state(menu: VaultMenu, controller: VaultController) -> None:
    assert menu.menu.title() == "Pri&vate"
    assert _enabled(menu) == {
        "&Unlock Private Notes…": False,
        "&Lock Private Notes": False,
        "&Hide Private Panels": True,
        "&Set Up Private Notes…": True,
        "&Change Passphrase…": False,
        "New &Recovery Code…": False,
        "Start &Over…": False,
    }
    _set_up(controller)
    assert _enabled(menu) == {
        "&Unlock Private Notes…": False,
        "&Lock Private Notes": True,
        "&Hide Private Panels": True,
        "&Set Up Private Notes…": False,
        "&Change Passphrase…": True,
        "New &Recovery Code…": True,
        "Start &Over…": True,
    }
    controller.lock()
    assert _enabled(menu) == {
        "&Unlock Private Notes…": True,
        "&Lock Private Notes": False,
        "&Hide Private Panels": True,
        "&Set Up Private Notes…": False,
        "&Change Passphrase…": False,
        "New &Recovery Code…": False,
        "Start &Over…": True,
    }
    assert menu.unlock_action.shortcut().toString() == "Ctrl+Shift+U"


def test_the_menu_unlocks_with_the_dialog(
    menu: VaultMenu, controller: VaultController, locked: str, answer_dialog: Answer
) -> None:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, UnlockDialog)
        _fill(dialog.passphrase, PASSPHRASE)
        dialog.unlock_button.click()

    answer_dialog(answer)
    menu.unlock_action.trigger()
    assert controller.state is VaultState.UNLOCKED
    assert menu.change_action.isEnabled()


def test_idle_choices_are_exclusive_and_remembered(
    menu: VaultMenu, controller: VaultController, settings: QSettings, dialogs, parent: QWidget
) -> None:  # type: ignore[no-untyped-def]
    labels = [action.text() for action in menu.idle_menu.actions()]
    assert labels == [
        "1 minute",
        "2 minutes",
        "5 minutes",
        "10 minutes",
        "15 minutes",
        "30 minutes",
        "1 hour",
    ]
    assert [a.text() for a in menu.idle_menu.actions() if a.isChecked()] == ["5 minutes"]
    menu.idle_actions[60].trigger()
    assert [a.text() for a in menu.idle_menu.actions() if a.isChecked()] == ["1 hour"]
    assert controller.vault.idle_minutes == 60
    settings.sync()
    assert settings.value(IDLE_SETTINGS_KEY, type=int) == 60

    # Next time the app starts, the choice is still ticked.
    again = VaultController(controller.vault, settings=settings, watch_activity=False)
    try:
        next_menu = VaultMenu(again, dialogs, parent)
        assert [a.text() for a in next_menu.idle_menu.actions() if a.isChecked()] == ["1 hour"]
    finally:
        again.stop_watching()


@pytest.mark.parametrize(
    ("minutes", "label"), [(1, "1 minute"), (2, "2 minutes"), (60, "1 hour"), (120, "2 hours")]
)
def test_idle_labels(minutes: int, label: str) -> None:
    assert idle_label(minutes) == label


def test_the_menu_sets_up_when_nothing_is_set_up(
    menu: VaultMenu, controller: VaultController, answer_dialog: Answer
) -> None:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, SetupVaultDialog)
        dialog.cancel_button.click()

    answer_dialog(answer)
    assert not menu.unlock()  # the Unlock slot sets up when there is nothing to unlock
    assert controller.state is VaultState.NOT_SET_UP
