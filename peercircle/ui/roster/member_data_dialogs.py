"""Export Member… and Erase Member…: a member's own data for them to have (GDPR articles 15
and 20), and erasing them completely at their request (article 17).

Exporting writes a JSON file and, beside it, a PDF with the same name; the facilitator's
private notes go in only if they tick the box (while the notes are unlocked) and confirm.
Erasing says what will go, with the counts, and only happens once ERASE has been typed.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QDialog, QWidget

from peercircle.services.attendance_import_types import plural
from peercircle.services.erasure import ErasureCounts, ErasureReport, ErasureService
from peercircle.services.roster_types import ChangedElsewhereError, MemberRow, NotFoundError
from peercircle.services.storage_errors import StorageError
from peercircle.services.vault_types import VaultError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.vault.vault_widgets import (
    DIALOG_WIDTH,
    ConfirmWordField,
    busy_cursor,
    button_row,
    dialog_layout,
    heading,
    paragraph,
    primary_button,
    quiet_button,
)

if TYPE_CHECKING:
    from peercircle.db import Database
    from peercircle.services.follow_ups import FollowUpService
    from peercircle.services.notes import NoteService
    from peercircle.services.vault import VaultService

CONFIRM_WORD = "ERASE"
JSON_FILTER = "JSON files (*.json);;All files (*)"
_NOT_IN_FILE_NAMES = '/\\:*?"<>|'


class PrivateAccess(Protocol):
    """What the dialogs need from the window's private side (``window.private``)."""

    @property
    def vault(self) -> VaultService: ...
    @property
    def notes(self) -> NoteService: ...
    @property
    def follow_ups(self) -> FollowUpService: ...
    def data_changed(self) -> None: ...


def suggested_file_name(name: str) -> str:
    """ "Ágnes — personal data.json", without characters a file name cannot hold."""
    safe = "".join("-" if ch in _NOT_IN_FILE_NAMES else ch for ch in name).strip(" .")
    return f"{safe or 'Member'} — personal data.json"


def include_private_text(name: str) -> str:
    """The question asked when “Include private notes and follow-ups” is ticked."""
    return (
        f"The files will contain your private notes about {name} in readable form, with the "
        "reasons and outcomes of your follow-ups with them. Anyone who opens the files can "
        "read them, and PeerCircle cannot lock them again.\n\n"
        f"Include them only if you mean to give them to {name} or keep them somewhere safe."
    )


def _removed_lines(counts: ErasureCounts) -> list[str]:
    """What erasing removes, one line each, with the counts."""
    lines = ["their details: names, pronouns, contact details, dates and consent"]
    if counts.memberships:
        lines.append(f"their place in {plural(counts.memberships, 'group')}")
    if counts.attendance:
        lines.append(plural(counts.attendance, "attendance mark"))
    if counts.notes:
        lines.append(f"{plural(counts.notes, 'private note')} about them")
    if counts.follow_ups:
        lines.append(f"{plural(counts.follow_ups, 'follow-up')} with them")
    if counts.handled_suggestions:
        lines.append(
            f"{plural(counts.handled_suggestions, 'check-in suggestion')} you already dealt with"
        )
    if counts.meetings_facilitated:
        lines.append(
            f"their name as the facilitator of {plural(counts.meetings_facilitated, 'meeting')}"
        )
    return lines


class ExportMemberDialog(QDialog):
    """What an export holds, and whether the private notes go in too."""

    def __init__(
        self,
        member: MemberRow,
        dialogs: DialogService,
        *,
        notes_unlocked: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name = member.display_name
        self._name = name
        self._dialogs = dialogs
        self.setWindowTitle("Export member")
        self.setMinimumWidth(DIALOG_WIDTH)

        self.title = heading(f"Export {name}'s data", self)
        texts = [
            paragraph(
                f"PeerCircle saves everything it holds about {name} in two files: a JSON file "
                "other programs can read, and a PDF beside it that is easy to read and print — "
                "their details, groups, attendance and the timings of their turns in rounds.",
                self,
            ),
            paragraph(
                f"The files are for {name}: hand them over in person or in a safe way, then "
                "delete your copies.",
                self,
            ),
        ]
        self.include_private = QCheckBox("&Include private notes and follow-ups", self)
        self.include_private.setAccessibleName("Include private notes and follow-ups")
        self.include_private.setEnabled(notes_unlocked)
        self.private_hint = paragraph(
            "Your private notes are locked, so they are not included. Unlock them first to "
            "include them."
            if not notes_unlocked
            else "Private notes are left out unless you tick this.",
            self,
            hint=True,
        )
        self.cancel_button = quiet_button("Cancel", self)
        self.export_button = primary_button("&Choose File and Export…", self)
        dialog_layout(
            self,
            [self.title, *texts],
            [self.include_private, self.private_hint],
            button_row(self.cancel_button, self.export_button),
        )
        self.include_private.toggled.connect(self._on_include_toggled)
        self.cancel_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.accept)
        self.export_button.setFocus()

    def _on_include_toggled(self, on: bool) -> None:
        if on and not self._dialogs.confirm(
            "Include private notes?", include_private_text(self._name), "Include Them"
        ):
            with QSignalBlocker(self.include_private):
                self.include_private.setChecked(False)


class EraseMemberDialog(QDialog):
    """Erase one member completely. The button is enabled only once ERASE has been typed;
    ``report`` says what was erased afterwards."""

    def __init__(
        self,
        member: MemberRow,
        counts: ErasureCounts,
        erasure: ErasureService,
        *,
        export_first: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name = member.display_name
        self._member = member
        self._erasure = erasure
        self.report: ErasureReport | None = None
        self.setWindowTitle("Erase member")
        self.setMinimumWidth(DIALOG_WIDTH)

        self.title = heading(f"Erase {name} completely?", self)
        removed = "".join(f"<li>{_escape(line)}</li>" for line in _removed_lines(counts))
        self.summary = paragraph(
            f"<p>This removes {_escape(name)} and everything PeerCircle holds about them:</p>"
            f"<ul style='margin-top: 0'>{removed}</ul>",
            self,
        )
        kept = []
        if counts.round_turns:
            kept.append(
                f"Their {plural(counts.round_turns, 'turn')} in sharing rounds stay in the "
                "rounds' timings, without their name."
            )
        kept.append(
            f"Notes about the group or about other people are kept: if they mention {name}, "
            "edit them yourself."
        )
        texts = [
            self.title,
            self.summary,
            *(paragraph(text, self) for text in kept),
            paragraph(
                f"<b>This cannot be undone.</b> Older backups still hold {_escape(name)} until "
                "newer ones replace them; if you restore one of them, PeerCircle erases "
                f"{_escape(name)} again.",
                self,
            ),
            paragraph(
                f"If {name} asked for a copy of their data, export it before you erase them.",
                self,
                hint=True,
            ),
        ]
        self.confirm_word = ConfirmWordField(CONFIRM_WORD, self)
        confirm_row = self.confirm_word.row(self)
        self.error = ErrorLabel(self)

        # No default button: Enter in the field does nothing, erasing takes a click.
        self.export_button = quiet_button("E&xport First…", self)
        self.export_button.setVisible(export_first is not None)
        self.cancel_button = quiet_button("Cancel", self)
        self.erase_button = quiet_button("&Erase Member", self)
        self.confirm_word.enables(self.erase_button)
        dialog_layout(
            self,
            texts,
            [confirm_row, self.error],
            button_row(self.cancel_button, self.erase_button, left=self.export_button),
        )
        self.cancel_button.clicked.connect(self.reject)
        self.erase_button.clicked.connect(self.erase)
        if export_first is not None:
            self.export_button.clicked.connect(lambda: export_first())
        self.confirm_word.setFocus()

    def erase(self) -> bool:
        if not self.confirm_word.confirmed():
            return False
        try:
            with busy_cursor():
                self.report = self._erasure.erase_member(
                    self._member.id, expected_version=self._member.version
                )
        except (ChangedElsewhereError, NotFoundError, StorageError) as exc:
            self.error.show_message(f"{exc} Nothing was erased.")
            return False
        self.accept()
        return True


def _escape(text: str) -> str:
    """Plain text for a rich-text label."""
    return escape(text, quote=False)


class MemberData(QObject):
    """The roster's Export Member… and Erase Member…. ``private`` gives the window's private
    side when it has been built (for the notes' state and services), else None."""

    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        parent: QWidget,
        private: Callable[[], PrivateAccess | None],
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._dialogs = dialogs
        self._parent = parent
        self._private = private
        data_dir = db.path.parent if db.path is not None else None
        self._erasure = ErasureService(db, data_dir)

    def export(self, member: MemberRow) -> bool:
        """Ask, then write the member's JSON file and the PDF beside it; True if written."""
        # Imported here: the PDF library is not needed until the first export.
        from peercircle.services.member_export import (
            ExportError,
            default_pdf_path,
            gather,
            write_member_export,
        )

        private = self._private()
        dialog = ExportMemberDialog(
            member,
            self._dialogs,
            notes_unlocked=private is not None and private.vault.is_unlocked,
            parent=self._parent,
        )
        try:
            chosen = dialog.exec() == QDialog.DialogCode.Accepted
            include = dialog.include_private.isChecked()
        finally:
            dialog.deleteLater()
        if not chosen:
            return False
        path = self._dialogs.save_file(
            "Export member data", suggested_file_name(member.display_name), JSON_FILTER
        )
        if path is None:
            return False
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        pdf_path = default_pdf_path(path)
        name = member.display_name
        try:
            with busy_cursor():
                export = gather(
                    self._db,
                    member.id,
                    notes=private.notes if include and private else None,
                    follow_ups=private.follow_ups if include and private else None,
                )
                write_member_export(export, path, pdf_path)
        except (VaultError, NotFoundError) as exc:
            self._dialogs.error("Not exported", f"{exc}\n\nNothing was saved.")
            return False
        except ExportError as exc:
            self._dialogs.error("Could not export", f"{exc}\n\nNothing was saved.")
            return False
        notes = " and your private notes about them" if export.private_notes_included else ""
        self._dialogs.info(
            "Member data exported",
            f"Saved {path.name} and {pdf_path.name} in {path.parent}.\n\n"
            f"They hold {name}'s personal data{notes}: hand them to {name} safely, then "
            "delete your copies.",
        )
        return True

    def erase(self, member: MemberRow) -> bool:
        """Explain, ask for ERASE, then erase the member; True if they were erased."""
        try:
            counts = self._erasure.counts(member.id)
        except NotFoundError as exc:
            self._dialogs.error("Not erased", str(exc))
            return False
        dialog = EraseMemberDialog(
            member,
            counts,
            self._erasure,
            export_first=lambda: self.export(member),
            parent=self._parent,
        )
        try:
            dialog.exec()
            report = dialog.report
        finally:
            dialog.deleteLater()
        if report is None:
            return False
        private = self._private()
        if private is not None:
            private.data_changed()  # the notes and follow-ups lists look again
        text = f"{member.display_name} was erased from PeerCircle."
        if report.log_problem:
            text += f"\n\n{report.log_problem} The erasure is still recorded in PeerCircle's data."
        self._dialogs.info("Member erased", text)
        return True


__all__ = [
    "CONFIRM_WORD",
    "EraseMemberDialog",
    "ExportMemberDialog",
    "MemberData",
    "PrivateAccess",
    "suggested_file_name",
]
