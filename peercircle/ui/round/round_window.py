"""The talking-stick view: the facilitator's window for running a sharing round.

The circle is drawn big on the left; the side panel shows the agreements before the start,
the queue and the controls during the round, and the summary after it. All time comes from
the round engine's clock: the timer here only asks for a fresh snapshot to draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import (
    QKeyCombination,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import RoundOrder, TimeMode
from peercircle.services.prompts import PromptDeck
from peercircle.services.round_engine import (
    Phase,
    RoundError,
    SharingRound,
    Snapshot,
    Speaker,
    SpeakerState,
)
from peercircle.ui.round.chime import SETTINGS_KEY, Chime, ZeroChime
from peercircle.ui.round.circle_view import CircleMode, CircleScene, CircleView, minutes_seconds
from peercircle.ui.round.presenter_window import PresenterWindow, other_screen
from peercircle.ui.round.prompts_panel import PromptsPanel
from peercircle.ui.round.round_queue import KeyRole, QueueView, RoundQueueModel
from peercircle.ui.round.round_summary import RoundSummaryView

PANEL_WIDTH = 360
SUMMARY_WIDTH = 640
REFRESH_MS = 100  # a tenth of a second: the ring moves smoothly, the CPU stays idle
END_QUESTION = "End the round now? The turns so far are kept."
ORDER_NAMES = {
    RoundOrder.SEATED: "seated order",
    RoundOrder.RANDOM: "random order",
    RoundOrder.VOLUNTEER: "volunteers",
    RoundOrder.LEAST_HEARD: "least heard first",
}


class Dialogs(Protocol):
    def confirm(self, title: str, text: str, ok_label: str) -> bool: ...
    def info(self, title: str, text: str) -> None: ...
    def error(self, title: str, text: str) -> None: ...


def _button(text: str, parent: QWidget, name: str = "") -> QPushButton:
    """A control that never takes keyboard focus: Space must only ever pass the stick."""
    button = QPushButton(text, parent)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if name:
        button.setObjectName(name)
    return button


class RoundWindow(QWidget):
    """The facilitator's talking-stick window for one sharing round.

    Keys (work anywhere in the window; Space/S/P/+/F/Ctrl+Z also in the presenter view):
    Space start / pass the stick on, S they pass, P pause or resume, + or = one more
    minute, F check in later, Ctrl+Z undo, F5 presenter view, Ctrl+L add a late arrival,
    Delete stepped out, Esc end the round (asks first) or, once it has ended, save and close.
    With a prompt deck: Q shows or hides the prompts, [ and ] step through them (this window
    only; the presenter view never gets them).

    Signals:
        round_finished(object): once, with the final ``Snapshot``, when the facilitator
            saves and closes after the round has ended (also when the window is closed
            another way after the end, so the log is never lost).
        presenter_opened(): the presenter view was opened (shown after being hidden).
        closed(): the window closed (after ``round_finished`` if the round was kept).
    """

    round_finished = Signal(object)
    presenter_opened = Signal()
    closed = Signal()

    def __init__(
        self,
        sharing_round: SharingRound,
        *,
        group_name: str,
        agreements: str,
        dialogs: Dialogs,
        chime: Chime,
        settings: QSettings | None = None,
        prompts: PromptDeck | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("roundWindow")
        self.setWindowTitle(f"Sharing round — {group_name}" if group_name else "Sharing round")
        self._round = sharing_round
        self._dialogs = dialogs
        self._settings = settings if settings is not None else QSettings()
        chime_on = bool(self._settings.value(SETTINGS_KEY, True, type=bool))
        self._zero = ZeroChime(chime, enabled=chime_on)
        self._candidates: list[Speaker] = []
        self._presenter: PresenterWindow | None = None
        self._saved = False
        self._snapshot = sharing_round.snapshot()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(REFRESH_MS)

        self.circle = CircleView(CircleMode.FACILITATOR, self)
        self._build_panel(group_name, agreements, chime_on)
        # Prompts go in a band under the circle: the side panel has no height to spare.
        self.prompts_panel: PromptsPanel | None = None
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(self.circle, 1)
        if prompts is not None:
            self.prompts_panel = PromptsPanel(prompts, settings=self._settings, parent=self)
            left.addWidget(self.prompts_panel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(left, 1)
        layout.addWidget(self.panel)
        self.resize(1180, 720)
        self._connect_signals()
        self._install_shortcuts(self, forwarded_only=False)
        self.refresh()

    # ---- building -------------------------------------------------------------------------

    def _build_panel(self, group_name: str, agreements: str, chime_on: bool) -> None:
        self.panel = QWidget(self)
        self.panel.setObjectName("roundPanel")
        self.panel.setFixedWidth(PANEL_WIDTH)
        title = QLabel(group_name or "Sharing round", self.panel)
        title.setObjectName("screenTitle")
        title.setWordWrap(True)
        self.status = QLabel(self.panel)
        self.status.setObjectName("roundStatus")
        self.notice = QLabel(self.panel)
        self.notice.setObjectName("hint")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.pages = QStackedWidget(self.panel)
        self.pages.addWidget(self._build_ready_page(agreements))
        self.pages.addWidget(self._build_running_page())
        self.pages.addWidget(self._build_finished_page())
        self.presenter_button = _button("Presenter view (F5)", self.panel)
        self.chime_check = QCheckBox("Chime at zero", self.panel)
        self.chime_check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.chime_check.setChecked(chime_on)
        bottom = QHBoxLayout()
        bottom.addWidget(self.chime_check, 1)
        bottom.addWidget(self.presenter_button)
        column = QVBoxLayout(self.panel)
        column.setContentsMargins(18, 18, 18, 14)
        column.addWidget(title)
        column.addWidget(self.status)
        column.addSpacing(6)
        column.addWidget(self.pages, 1)
        column.addWidget(self.notice)
        column.addLayout(bottom)

    def _build_ready_page(self, agreements: str) -> QWidget:
        page = QWidget(self)
        heading = QLabel("Our agreements", page)
        heading.setObjectName("roundSectionTitle")
        self.agreements = QLabel(agreements.strip() or "No agreements written yet.", page)
        self.agreements.setObjectName("roundAgreements" if agreements.strip() else "hint")
        self.agreements.setWordWrap(True)
        self.agreements.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.agreements.setTextFormat(Qt.TextFormat.PlainText)
        scroll = QScrollArea(page)
        scroll.setObjectName("roundAgreementsArea")
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.agreements)
        self.first_up = QLabel(page)
        self.first_up.setObjectName("hint")
        self.first_up.setWordWrap(True)
        self.start_button = _button("Start the round", page, "primaryButton")
        self.start_button.setToolTip("Space")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.first_up)
        layout.addWidget(self.start_button)
        return page

    def _build_running_page(self) -> QWidget:
        page = QWidget(self)
        self.speaker_line = QLabel(page)
        self.speaker_line.setObjectName("roundSpeaker")
        self.speaker_line.setWordWrap(True)
        self.queue_model = RoundQueueModel(self._move, self)
        self.queue_view = QueueView(True, page)
        self.queue_view.setObjectName("roundQueue")
        self.queue_view.setAccessibleName("Up next")
        self.queue_view.setModel(self.queue_model)
        queue_title = QLabel("Up next", page)
        queue_title.setObjectName("roundSectionTitle")
        queue_hint = QLabel("Drag or Alt+↑/↓ to reorder · Enter: speaks next", page)
        queue_hint.setObjectName("hint")
        queue_hint.setWordWrap(True)
        self.passed_model = RoundQueueModel(None, self)
        self.passed_view = QueueView(False, page)
        self.passed_view.setObjectName("roundPassed")
        self.passed_view.setAccessibleName("Passed")
        self.passed_view.setModel(self.passed_model)
        self.passed_title = QLabel("Passed", page)
        self.passed_title.setObjectName("roundSectionTitle")

        self.next_button = _button("Pass the stick on (Space)", page, "primaryButton")
        self.pass_button = _button("They pass (S)", page)
        self.pause_button = _button("Pause (P)", page)
        self.minute_button = _button("+1 minute (+)", page)
        self.later_button = _button("Check in later (F)", page)
        self.later_button.setObjectName("roundFlagButton")
        self.later_button.setCheckable(True)
        self.undo_button = _button("Undo (Ctrl+Z)", page)
        self.late_button = _button("Add late arrival…", page)
        self.late_menu = QMenu(self.late_button)
        self.late_button.setMenu(self.late_menu)
        self.away_button = _button("Stepped out", page)
        self.end_button = _button("End round", page)
        grid = QGridLayout()
        grid.setSpacing(6)
        rows = (
            (self.next_button,),
            (self.pass_button, self.pause_button),
            (self.minute_button, self.later_button),
            (self.undo_button, self.end_button),
            (self.late_button,),
            (self.away_button,),
        )
        for row, buttons in enumerate(rows):
            for column, button in enumerate(buttons):
                grid.addWidget(button, row, column, 1, 3 - len(buttons))
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.speaker_line)
        layout.addSpacing(4)
        layout.addWidget(queue_title)
        layout.addWidget(self.queue_view, 1)
        layout.addWidget(queue_hint)
        layout.addWidget(self.passed_title)
        layout.addWidget(self.passed_view)
        layout.addSpacing(6)
        layout.addLayout(grid)
        return page

    def _build_finished_page(self) -> QWidget:
        page = QWidget(self)
        self.summary = RoundSummaryView(page)
        self.back_button = _button("Back to the round (Ctrl+Z)", page)
        self.save_button = _button("Save and close", page, "primaryButton")
        self.save_button.setToolTip("Esc")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.back_button)
        layout.addWidget(self.save_button)
        return page

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self._tick)
        self.start_button.clicked.connect(self.start)
        self.next_button.clicked.connect(self.next_speaker)
        self.pass_button.clicked.connect(self.pass_turn)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.minute_button.clicked.connect(self.add_minute)
        self.later_button.clicked.connect(self.toggle_check_in_later)
        self.undo_button.clicked.connect(self.undo)
        self.back_button.clicked.connect(self.undo)
        self.away_button.clicked.connect(self.stepped_out)
        self.end_button.clicked.connect(self.end_round)
        self.save_button.clicked.connect(self.save_and_close)
        self.presenter_button.clicked.connect(self._open_presenter)
        self.chime_check.toggled.connect(self._on_chime_toggled)
        self.late_menu.aboutToShow.connect(self._fill_late_menu)
        self.queue_view.chosen.connect(lambda row: self._choose(self.queue_model, row))
        self.passed_view.chosen.connect(lambda row: self._choose(self.passed_model, row))
        self.queue_view.move_requested.connect(self._move_row)
        for view in (self.queue_view, self.passed_view):
            view.selectionModel().selectionChanged.connect(self._update_away_button)

    def _install_shortcuts(self, target: QWidget, *, forwarded_only: bool) -> None:
        """Window-wide keys on ``target``: they work whatever has the focus there."""
        keypad_plus = QKeyCombination(Qt.KeyboardModifier.KeypadModifier, Qt.Key.Key_Plus)
        keys: list[tuple[list[QKeySequence], Callable[[], None]]] = [
            ([QKeySequence(Qt.Key.Key_Space)], self._on_space),
            ([QKeySequence(Qt.Key.Key_S)], self.pass_turn),
            ([QKeySequence(Qt.Key.Key_P)], self.toggle_pause),
            (
                [
                    QKeySequence(Qt.Key.Key_Plus),
                    QKeySequence(Qt.Key.Key_Equal),
                    QKeySequence(keypad_plus),
                ],
                self.add_minute,
            ),
            ([QKeySequence(Qt.Key.Key_F)], self.toggle_check_in_later),
            ([QKeySequence(QKeySequence.StandardKey.Undo)], self.undo),
        ]
        if not forwarded_only:
            keys += [
                ([QKeySequence(Qt.Key.Key_F5)], self._open_presenter),
                ([QKeySequence(Qt.Key.Key_Escape)], self.leave),
                ([QKeySequence("Ctrl+L")], self._show_late_menu),
                ([QKeySequence(Qt.Key.Key_Delete)], self.stepped_out),
            ]
        for sequences, slot in keys:
            shortcut = QShortcut(target)
            shortcut.setKeys(sequences)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(slot)

    # ---- actions (the keys and buttons) ----------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        """The snapshot last drawn."""
        return self._snapshot

    def start(self) -> None:
        self._act(self._round.start)

    def next_speaker(self) -> None:
        self._act(self._round.next)

    def pass_turn(self) -> None:
        self._act(self._round.pass_turn)

    def toggle_pause(self) -> None:
        self._act(self._round.toggle_pause)

    def add_minute(self) -> None:
        self._act(self._round.add_minute)

    def toggle_check_in_later(self) -> None:
        self._act(self._round.toggle_check_in_later)

    def undo(self) -> None:
        if self._saved:
            return
        self._act(self._round.undo)

    def add_late_arrival(self, speaker: Speaker) -> None:
        self._act(lambda: self._round.add_speaker(speaker))

    def set_late_arrival_candidates(self, candidates: Sequence[Speaker]) -> None:
        """People who may join late (the rest of the group, guests); those already in the
        round are left out of the menu."""
        self._candidates = list(candidates)
        self._update_late_button(self._snapshot)

    def stepped_out(self) -> None:
        """The selected person in the lists, or else the speaker, has stepped out."""
        target = self._away_target()
        if target is not None:
            self._act(lambda: self._round.remove_speaker(target.key))

    def end_round(self) -> None:
        if self._snapshot.phase is not Phase.SPEAKING:
            return
        if self._dialogs.confirm("End the round", END_QUESTION, "End the round"):
            self._act(self._round.finish)

    def leave(self) -> None:
        """Esc: end a running round (after asking), or close once it has ended."""
        phase = self._round.phase
        if phase is Phase.SPEAKING:
            self.end_round()
        elif phase is Phase.FINISHED:
            self.save_and_close()
        else:
            self.close()

    def save_and_close(self) -> None:
        self._emit_finished()
        self.close()

    def open_presenter(self, screen: QScreen | None = None) -> PresenterWindow:
        """Show the presenter view: full screen on another screen when there is one (or on
        ``screen``), otherwise as a window (F11 there toggles full screen)."""
        presenter = self._presenter
        if presenter is None:
            presenter = PresenterWindow()
            self._install_shortcuts(presenter, forwarded_only=True)
            presenter.closed.connect(self._on_presenter_closed)
            self._presenter = presenter
        was_visible = presenter.isVisible()
        presenter.set_scene(CircleScene.from_snapshot(self._snapshot))
        target = screen or other_screen(self.screen())
        presenter.show_on(target, full_screen=target is not None and target is not self.screen())
        if not was_visible:
            self.presenter_opened.emit()
        return presenter

    def _open_presenter(self) -> None:
        """F5 or the button: with a single other screen (the usual projector) go straight
        there; with several, ask which one."""
        others = [s for s in QGuiApplication.screens() if s is not self.screen()]
        if len(others) < 2 or (self._presenter is not None and self._presenter.isVisible()):
            self.open_presenter()
            return
        menu = self.screen_menu(others)
        menu.triggered.connect(lambda action: self.open_presenter(action.data()))
        menu.exec(self.presenter_button.mapToGlobal(self.presenter_button.rect().topLeft()))
        menu.deleteLater()

    def screen_menu(self, screens: Sequence[QScreen]) -> QMenu:
        """A menu of ``screens`` to show the presenter view on (data: the QScreen)."""
        menu = QMenu("Show the presenter view on", self)
        for screen in screens:
            size = screen.size()
            action = menu.addAction(f"{screen.name()} — {size.width()}×{size.height()}")
            action.setData(screen)
        return menu

    @property
    def presenter(self) -> PresenterWindow | None:
        return self._presenter

    # ---- keeping the picture current -------------------------------------------------------

    def _act(self, action: Callable[[], None]) -> None:
        try:
            action()
        except RoundError as error:
            self._show_notice(str(error))
        else:
            self._show_notice("")
        self.refresh()

    def _on_space(self) -> None:
        phase = self._round.phase
        if phase is Phase.READY:
            self.start()
        elif phase is Phase.SPEAKING:
            self.next_speaker()

    def _tick(self) -> None:
        self.refresh(full=False)

    def refresh(self, *, full: bool = True) -> None:
        """Read a fresh snapshot and redraw what changed (the timer calls this)."""
        snap = self._round.snapshot()
        self._snapshot = snap
        scene = CircleScene.from_snapshot(snap)
        self.circle.set_scene(scene)
        if self._presenter is not None and self._presenter.isVisible():
            self._presenter.set_scene(scene)
        self._zero.observe(snap)
        self._set_text(self.status, self._status_text(snap))
        if full:
            self._update_panel(snap)
        running = snap.phase is Phase.SPEAKING and not snap.paused
        if running and not self._timer.isActive():
            self._timer.start()
        elif not running and self._timer.isActive():
            self._timer.stop()

    @staticmethod
    def _set_text(label: QLabel | QPushButton, text: str) -> None:
        if label.text() != text:
            label.setText(text)

    def _status_text(self, snap: Snapshot) -> str:
        if snap.phase is Phase.READY:
            people = len(snap.queue)
            settings = snap.settings
            minutes = minutes_seconds(settings.time_seconds)
            if settings.time_mode is TimeMode.BUDGET:
                time = f"{minutes} for the round"
            else:
                time = f"{minutes} each"
            noun = "person" if people == 1 else "people"
            return f"{people} {noun} · {ORDER_NAMES[settings.order]} · {time}"
        if snap.phase is Phase.FINISHED:
            return f"Round finished · {minutes_seconds(snap.round_elapsed)}"
        done = len(snap.turns)
        total = done + 1 + len(snap.queue)
        text = f"Turn {done + 1} of {total} · round {minutes_seconds(snap.round_elapsed)}"
        return text + " · paused" if snap.paused else text

    def _update_panel(self, snap: Snapshot) -> None:
        page = {Phase.READY: 0, Phase.SPEAKING: 1, Phase.FINISHED: 2}[snap.phase]
        if self.pages.currentIndex() != page:
            self.pages.setCurrentIndex(page)
            # The summary table wants room; the circle has had its moment.
            wide = max(PANEL_WIDTH, min(SUMMARY_WIDTH, self.width() // 2))
            self.panel.setFixedWidth(wide if page == 2 else PANEL_WIDTH)
            if page == 1:
                self.queue_view.setFocus()
        if snap.phase is Phase.READY:
            first = snap.next_up.name if snap.next_up else ""
            self._set_text(self.first_up, f"{first} starts. Press Space when everyone is ready.")
        elif snap.phase is Phase.SPEAKING:
            self._update_running(snap)
        else:
            self.summary.set_turns(snap.turns, snap.round_elapsed)
            self.back_button.setVisible(snap.can_undo and not self._saved)
        self._update_late_button(snap)

    def _update_running(self, snap: Snapshot) -> None:
        name = snap.current.name if snap.current else ""
        extras = [" · coming back" if snap.coming_back else ""]
        extras.append(" · check in later" if snap.check_in_later else "")
        self._set_text(self.speaker_line, f"{name} has the stick{''.join(extras)}")
        self._set_list(self.queue_view, self.queue_model, snap.queue)
        self._set_list(self.passed_view, self.passed_model, snap.passed)
        has_passed = bool(snap.passed)
        self.passed_title.setVisible(has_passed)
        self.passed_view.setVisible(has_passed)
        if has_passed:
            rows = min(3, len(snap.passed))
            row_height = max(self.passed_view.sizeHintForRow(0), 20)
            self.passed_view.setFixedHeight(rows * row_height + 8)
        self._set_text(self.pause_button, "Resume (P)" if snap.paused else "Pause (P)")
        self.later_button.setChecked(snap.check_in_later)
        self.undo_button.setEnabled(snap.can_undo)
        self._update_away_button()

    def _set_list(self, view: QueueView, model: RoundQueueModel, people: Sequence[Speaker]) -> None:
        """Show ``people``; whoever was selected stays selected."""
        current = view.currentIndex()
        key = current.data(KeyRole) if current.isValid() else None
        if not model.set_speakers(people) or key is None:
            return
        row = model.row_of(key)
        if row is not None:
            view.setCurrentIndex(model.index(row))

    def _away_target(self) -> Speaker | None:
        for view, model in (
            (self.queue_view, self.queue_model),
            (self.passed_view, self.passed_model),
        ):
            rows = view.selectionModel().selectedRows()
            if rows and view.isVisible():
                return model.speaker_at(rows[0].row())
        return self._snapshot.current

    def _update_away_button(self, *_: object) -> None:
        target = self._away_target() if self._snapshot.phase is Phase.SPEAKING else None
        self.away_button.setEnabled(target is not None)
        text = "Stepped out"
        if target is not None:
            metrics = self.away_button.fontMetrics()
            # The button spans the panel (fixed width), less its margins and padding.
            room = PANEL_WIDTH - 80 - metrics.horizontalAdvance("Stepped out: ")
            name = metrics.elidedText(target.name, Qt.TextElideMode.ElideRight, room)
            text = f"Stepped out: {name}"
        self.away_button.setAccessibleDescription(target.name if target else "")
        self._set_text(self.away_button, text)

    def _late_choices(self, snap: Snapshot) -> list[tuple[Speaker, bool]]:
        """(speaker, coming back) for everyone who could be added now."""
        states = {speaker.key: state for speaker, state in snap.circle}
        choices = [(s, True) for s, state in snap.circle if state is SpeakerState.AWAY]
        choices += [(s, False) for s in self._candidates if s.key not in states]
        return choices

    def _update_late_button(self, snap: Snapshot) -> None:
        open_round = snap.phase is not Phase.FINISHED
        self.late_button.setEnabled(open_round and bool(self._late_choices(snap)))

    def _fill_late_menu(self) -> None:
        self.late_menu.clear()
        for speaker, back in self._late_choices(self._round.snapshot()):
            label = f"{speaker.name} is back" if back else speaker.name
            action = self.late_menu.addAction(label)
            action.triggered.connect(lambda _=False, s=speaker: self.add_late_arrival(s))
        if self.late_menu.isEmpty():
            self.late_menu.addAction("No one else to add").setEnabled(False)

    def _show_late_menu(self) -> None:
        if self.late_button.isEnabled() and self.pages.currentIndex() == 1:
            self.late_button.showMenu()

    def _choose(self, model: RoundQueueModel, row: int) -> None:
        key = model.speaker_at(row).key
        self._act(lambda: self._round.choose_next(key))

    def _move(self, key: str, index: int) -> None:
        self._act(lambda: self._round.move(key, index))

    def _move_row(self, row: int, to_row: int) -> None:
        if 0 <= to_row < self.queue_model.rowCount():
            key = self.queue_model.speaker_at(row).key
            self._move(key, to_row)
            new_row = self.queue_model.row_of(key)
            if new_row is not None:
                self.queue_view.setCurrentIndex(self.queue_model.index(new_row))

    def _show_notice(self, text: str) -> None:
        self._set_text(self.notice, text)
        self.notice.setVisible(bool(text))

    def _on_chime_toggled(self, on: bool) -> None:
        self._zero.enabled = on
        self._settings.setValue(SETTINGS_KEY, on)

    def _on_presenter_closed(self) -> None:
        self.activateWindow()

    def _emit_finished(self) -> None:
        if self._saved or self._round.phase is not Phase.FINISHED:
            return
        self._saved = True
        self._snapshot = self._round.snapshot()
        self.round_finished.emit(self._snapshot)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._round.phase is Phase.SPEAKING:
            if not self._dialogs.confirm("End the round", END_QUESTION, "End the round"):
                event.ignore()
                return
            self._round.finish()
        self._emit_finished()
        self._timer.stop()
        if self._presenter is not None:
            self._presenter.close()
            self._presenter.deleteLater()
            self._presenter = None
        super().closeEvent(event)
        self.closed.emit()
