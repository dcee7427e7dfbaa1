"""Before a round: who is in it, in what order, and how much time each person has."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import RoundOrder, TimeMode
from peercircle.services.round_engine import MIN_TURN_SECONDS, RoundSettings, Speaker
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.round.circle_view import minutes_seconds

ORDER_CHOICES: tuple[tuple[RoundOrder, str, str], ...] = (
    (RoundOrder.SEATED, "&Seated", "Around the circle, in the order people sit."),
    (RoundOrder.RANDOM, "&Random", "A fresh, shuffled order for this round."),
    (
        RoundOrder.VOLUNTEER,
        "&Volunteer (“popcorn”)",
        "Whoever is ready speaks next; you pick as hands go up.",
    ),
    (
        RoundOrder.LEAST_HEARD,
        "&Least heard first",
        "Those heard least in recent meetings go first.",
    ),
)

NOBODY_MESSAGE = "Tick at least one person to start a round."
MAX_MINUTES = 600.0


class RoundSetupDialog(QDialog):
    """Choose the people and settings for a round; read ``speakers()`` and ``settings()``
    once it is accepted."""

    def __init__(
        self,
        candidates: Sequence[Speaker],
        *,
        present_keys: set[str],
        defaults: RoundSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up a sharing round")
        self.setMinimumWidth(780)
        self._candidates = sorted(candidates, key=lambda s: s.seat)

        # ---- who ----
        self.people = QListWidget(self)
        self.people.setObjectName("roundPeople")
        self.people.setAccessibleName("People in the round")
        for speaker in self._candidates:
            item = QListWidgetItem(speaker.name, self.people)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            ticked = speaker.key in present_keys
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, speaker.key)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.everyone_button = QPushButton("&Everyone", self)
        self.nobody_button = QPushButton("&No one", self)
        self.nobody_error = ErrorLabel(self)

        # ---- order ----
        self.order_group = QButtonGroup(self)
        self._order_buttons: dict[RoundOrder, QRadioButton] = {}
        order_box = QGridLayout()
        order_box.setHorizontalSpacing(12)
        order_box.setVerticalSpacing(2)
        for row, (order, label, explanation) in enumerate(ORDER_CHOICES):
            button = QRadioButton(label, self)
            button.setAccessibleDescription(explanation)
            hint = QLabel(explanation, self)
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            hint.setContentsMargins(24, 0, 0, 4)
            self.order_group.addButton(button)
            self._order_buttons[order] = button
            order_box.addWidget(button, row * 2, 0)
            order_box.addWidget(hint, row * 2 + 1, 0)
        self._order_buttons[defaults.order].setChecked(True)

        # ---- time ----
        self.per_speaker = QRadioButton("Each speaker gets the same &time", self)
        self.budget = QRadioButton("The round has a total time, &split evenly", self)
        self.time_group = QButtonGroup(self)
        self.time_group.addButton(self.per_speaker)
        self.time_group.addButton(self.budget)
        self.minutes = QDoubleSpinBox(self)
        self.minutes.setDecimals(1)
        self.minutes.setSingleStep(0.5)
        self.minutes.setRange(0.5, MAX_MINUTES)
        self.minutes.setSuffix(" min")
        self.minutes_label = QLabel(self)
        self.minutes_label.setBuddy(self.minutes)
        self.share_hint = QLabel(self)
        self.share_hint.setObjectName("hint")
        self.warning = QSpinBox(self)
        self.warning.setRange(0, 600)
        self.warning.setSingleStep(5)
        self.warning.setSuffix(" s")
        self.warning.setValue(defaults.warning_seconds)
        self.warning.setAccessibleName("Gentle warning, seconds before the end")
        warning_label = QLabel("Gentle &warning", self)
        warning_label.setBuddy(self.warning)
        self.come_back = QCheckBox("&Offer a turn at the end to those who passed", self)
        self.come_back.setChecked(defaults.come_back_to_passed)

        budget_mode = defaults.time_mode is TimeMode.BUDGET
        (self.budget if budget_mode else self.per_speaker).setChecked(True)
        self.minutes.setValue(defaults.time_seconds / 60)
        self._mode = defaults.time_mode

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = QPushButton("Set up the round", self)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.setDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)

        self._build_layout(order_box, warning_label)
        self.everyone_button.clicked.connect(lambda: self._tick_all(True))
        self.nobody_button.clicked.connect(lambda: self._tick_all(False))
        self.people.itemChanged.connect(self._on_people_changed)
        self.time_group.buttonToggled.connect(self._on_mode_toggled)
        self.minutes.valueChanged.connect(self._update_hints)
        self._update_hints()
        self.people.setFocus()

    def _build_layout(self, order_box: QGridLayout, warning_label: QLabel) -> None:
        who_title = QLabel("Who is in the round", self)
        who_title.setObjectName("roundSectionTitle")
        who_buttons = QHBoxLayout()
        who_buttons.addWidget(self.count_label, 1)
        who_buttons.addWidget(self.everyone_button)
        who_buttons.addWidget(self.nobody_button)
        who = QVBoxLayout()
        who.addWidget(who_title)
        who.addWidget(self.people, 1)
        who.addLayout(who_buttons)
        who.addWidget(self.nobody_error)

        order_title = QLabel("Order", self)
        order_title.setObjectName("roundSectionTitle")
        time_title = QLabel("Time", self)
        time_title.setObjectName("roundSectionTitle")
        times = QGridLayout()
        times.setHorizontalSpacing(8)
        times.addWidget(self.minutes_label, 0, 0)
        times.addWidget(self.minutes, 0, 1)
        times.addWidget(self.share_hint, 0, 2)
        times.addWidget(warning_label, 1, 0)
        times.addWidget(self.warning, 1, 1)
        before_end = QLabel("before the end", self)
        before_end.setObjectName("hint")
        times.addWidget(before_end, 1, 2)
        times.setColumnStretch(2, 1)
        times.setContentsMargins(0, 4, 0, 0)
        how = QVBoxLayout()
        how.addWidget(order_title)
        how.addLayout(order_box)
        how.addSpacing(10)
        how.addWidget(time_title)
        how.addWidget(self.per_speaker)
        how.addWidget(self.budget)
        how.addLayout(times)
        how.addSpacing(6)
        how.addWidget(self.come_back)
        how.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(who, 2)
        columns.addSpacing(16)
        columns.addLayout(how, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

    # ---- results --------------------------------------------------------------------------

    def speakers(self) -> list[Speaker]:
        """Everyone ticked, in seated order."""
        return [
            speaker
            for row, speaker in enumerate(self._candidates)
            if self.people.item(row).checkState() == Qt.CheckState.Checked
        ]

    def settings(self) -> RoundSettings:
        order = next(o for o, button in self._order_buttons.items() if button.isChecked())
        mode = TimeMode.BUDGET if self.budget.isChecked() else TimeMode.PER_SPEAKER
        return RoundSettings(
            order=order,
            time_mode=mode,
            time_seconds=max(1, round(self.minutes.value() * 60)),
            warning_seconds=self.warning.value(),
            come_back_to_passed=self.come_back.isChecked(),
        )

    def order_button(self, order: RoundOrder) -> QRadioButton:
        return self._order_buttons[order]

    # ---- behaviour ------------------------------------------------------------------------

    def _tick_all(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        self.people.blockSignals(True)
        for row in range(self.people.count()):
            self.people.item(row).setCheckState(state)
        self.people.blockSignals(False)
        self._on_people_changed()

    def _on_people_changed(self, *_: object) -> None:
        if self.speakers():
            self.nobody_error.show_message(None)
        self._update_hints()

    def _on_mode_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if not checked:
            return
        mode = TimeMode.BUDGET if button is self.budget else TimeMode.PER_SPEAKER
        if mode is self._mode:
            return
        # Keep the meaning: 3 minutes each for 9 people is a 27-minute round, and back.
        people = max(1, len(self.speakers()))
        value = self.minutes.value()
        value = value * people if mode is TimeMode.BUDGET else round(value / people * 2) / 2
        self._mode = mode
        self.minutes.setValue(min(MAX_MINUTES, max(0.5, value)))
        self._update_hints()

    def _update_hints(self, *_: object) -> None:
        count = len(self.speakers())
        total = self.people.count()
        self.count_label.setText(f"{count} of {total} in the round")
        budget = self.budget.isChecked()
        self.minutes_label.setText("&Minutes in all" if budget else "&Minutes each")
        self.minutes.setAccessibleName(
            "Minutes for the whole round" if budget else "Minutes for each speaker"
        )
        if budget and count:
            each = max(MIN_TURN_SECONDS, self.minutes.value() * 60 / count)
            self.share_hint.setText(f"about {minutes_seconds(each)} each")
        elif count:
            total_time = self.minutes.value() * 60 * count
            self.share_hint.setText(f"about {round(total_time / 60)} min in all")
        else:
            self.share_hint.setText("")

    def _on_accept(self) -> None:
        if not self.speakers():
            self.nobody_error.show_message(NOBODY_MESSAGE)
            self.people.setFocus()
            return
        self.accept()
