"""The Print menu: each printout's options, then a preview with Print… and Save PDF….

The documents are built by ``peercircle.services.printing`` — the same code as
``peercircle pdf`` — so what is previewed is exactly what the command line writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from peercircle.pdf.paper import PaperSize, default_paper_size
from peercircle.services.roster_types import GroupInfo, NotFoundError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.printing.print_options import PrintOptionsDialog

if TYPE_CHECKING:
    from peercircle.db import Database
    from peercircle.services.printing import Printout, PrintService
    from peercircle.ui.printing.preview_dialog import PdfPreviewDialog

PAPER_KEY = "print/paper"
REPORT_MONTHS = 3


@dataclass(frozen=True)
class Choices:
    """What the facilitator chose in the options dialog."""

    paper: PaperSize
    day: dt.date | None = None
    date_range: tuple[dt.date, dt.date] | None = None
    initials: bool = False


class PrintMenu(QObject):
    """Owns the Print menu's actions for the group shown (and its meeting, if one is)."""

    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        parent: QWidget,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        meeting_day: Callable[[], dt.date | None] = lambda: None,
        settings: QSettings | None = None,
    ) -> None:
        """``meeting_day`` gives the date of the meeting being looked at, if any: the
        sign-in sheet is offered for it."""
        super().__init__(parent)
        self._db = db
        self._print_service: PrintService | None = None
        self._dialogs = dialogs
        self._parent = parent
        self._today = today
        self.settings = settings if settings is not None else QSettings()
        self._group: GroupInfo | None = None
        self._meeting_day = meeting_day
        self.menu = QMenu("&Print", parent)
        self.sign_in_action = self.menu.addAction("&Sign-in Sheet…")
        self.sign_in_action.setShortcut(QKeySequence.StandardKey.Print)
        self.report_action = self.menu.addAction("&Attendance Report…")
        self.handout_action = self.menu.addAction("Resource &Handout…")
        self.agreements_action = self.menu.addAction("Group A&greements Card…")
        self.sign_in_action.triggered.connect(self.print_sign_in)
        self.report_action.triggered.connect(self.print_report)
        self.handout_action.triggered.connect(self.print_handout)
        self.agreements_action.triggered.connect(self.print_agreements)
        self.preview: PdfPreviewDialog | None = None
        self.show_group(None)

    def actions(self) -> list[QAction]:
        return [
            self.sign_in_action,
            self.report_action,
            self.handout_action,
            self.agreements_action,
        ]

    def show_group(self, group: GroupInfo | None) -> None:
        """Printouts are per group: with “All members” shown, the menu is disabled."""
        self._group = group
        for action in self.actions():
            action.setEnabled(group is not None)

    @property
    def _printing(self) -> PrintService:
        """Made on first use: ReportLab and the fonts are not loaded until something prints."""
        if self._print_service is None:
            from peercircle.services.printing import PrintService

            self._print_service = PrintService(self._db)
        return self._print_service

    # ---- each printout ----------------------------------------------------------------------

    def print_sign_in(self) -> None:
        group = self._group
        if group is None:
            return
        options = self._ask(
            "Sign-in sheet",
            f"A sheet for “{group.name}” to sign or tick, with the members' names filled in "
            "and blank rows for newcomers. Only names are printed.",
            day=self._meeting_day() or self._today(),
            initials=False,
        )
        if options is None:
            return
        day = options.day or self._today()
        self._show(
            lambda: self._printing.sign_in_sheet(
                group.id, day, initials_only=options.initials, paper=options.paper
            ),
            "Sign-in sheet",
            f"Sign-in sheet {group.name} {day:%Y-%m-%d}.pdf",
        )

    def print_report(self) -> None:
        group = self._group
        if group is None:
            return
        today = self._today()
        start = (today.replace(day=1) - dt.timedelta(days=31 * (REPORT_MONTHS - 1))).replace(day=1)
        options = self._ask(
            "Attendance report",
            f"Who came to the meetings of “{group.name}” in a date range, with totals, "
            "percentages and a chart. For your organisation's records.",
            date_range=(start, today),
        )
        if options is None:
            return
        first, last = options.date_range or (start, today)
        self._show(
            lambda: self._printing.attendance_report(group.id, first, last, paper=options.paper),
            "Attendance report",
            f"Attendance {group.name} {first:%Y-%m-%d} to {last:%Y-%m-%d}.pdf",
        )

    def print_handout(self) -> None:
        group = self._group
        if group is None:
            return
        options = self._ask(
            "Resource handout",
            f"The resources chosen for “{group.name}”, with phone numbers and QR codes for "
            "links, and the group's agreements.",
        )
        if options is not None:
            self._show(
                lambda: self._printing.handout(group.id, paper=options.paper),
                "Resource handout",
                f"Resources {group.name}.pdf",
            )

    def print_agreements(self) -> None:
        group = self._group
        if group is None:
            return
        options = self._ask(
            "Group agreements card",
            f"The agreements of “{group.name}” on one page, for the table or the wall.",
        )
        if options is not None:
            self._show(
                lambda: self._printing.agreements_card(group.id, paper=options.paper),
                "Group agreements",
                f"Agreements {group.name}.pdf",
            )

    # ---- shared steps -----------------------------------------------------------------------

    def paper(self) -> PaperSize:
        stored = self.settings.value(PAPER_KEY, "", type=str)
        try:
            return PaperSize(stored)
        except ValueError:
            return default_paper_size()

    def _ask(
        self,
        title: str,
        intro: str,
        *,
        day: dt.date | None = None,
        date_range: tuple[dt.date, dt.date] | None = None,
        initials: bool | None = None,
    ) -> Choices | None:
        dialog = PrintOptionsDialog(
            title,
            intro,
            paper=self.paper(),
            day=day,
            date_range=date_range,
            initials=initials,
            parent=self._parent,
        )
        try:
            if not dialog.exec():
                return None
            choices = Choices(
                paper=dialog.chosen_paper(),
                day=dialog.chosen_day() if day is not None else None,
                date_range=dialog.chosen_range() if date_range is not None else None,
                initials=dialog.chosen_initials(),
            )
        finally:
            dialog.deleteLater()
        self.settings.setValue(PAPER_KEY, choices.paper.value)
        return choices

    def _show(self, build: Callable[[], Printout], title: str, suggested: str) -> None:
        from peercircle.pdf.page import PdfWriteError
        from peercircle.services.printing import printout_bytes
        from peercircle.ui.printing.preview_dialog import PdfPreviewDialog

        try:
            data = printout_bytes(build(), generated_on=self._today())
        except (ValueError, NotFoundError, PdfWriteError) as exc:
            # An empty range, a group without agreements, a group deleted meanwhile.
            self._dialogs.info(title, str(exc))
            return
        suggested = suggested.replace("/", "-")
        self.preview = PdfPreviewDialog(
            data, title=title, suggested_name=suggested, dialogs=self._dialogs, parent=self._parent
        )
        self.preview.exec()
        self.preview.deleteLater()
        self.preview = None
