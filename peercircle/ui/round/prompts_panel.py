"""The facilitator's prompts under the circle: one open question or reflection at a time.

Only the round window (the facilitator's screen) ever holds this panel; the presenter view
is given circle scenes and nothing else.
"""

from __future__ import annotations

import random

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.prompts import PromptDeck

SETTINGS_KEY = "round/promptsShown"
ALL_PROMPTS = "All prompts"
EMPTY_TEXT = "There are no prompts to show."


class PromptsPanel(QWidget):
    """A prompt from the deck with its category and place ("3 of 9"), buttons to step
    through the deck or pick one at random, and a category filter. Laid out as a wide,
    low band: the prompt on the left, the controls on the right.

    The header line stays; the rest folds away. Keys, window-wide: Q shows or hides the prompts;
    while they are shown, [ and ] step back and on. Buttons never take the keyboard focus
    (Space in the round window must only ever pass the stick); the category list does, so
    it can be chosen from the keyboard (Tab, then the arrow keys).

    Signals:
        expanded_changed(bool): the prompts were shown (True) or folded away (False).
    """

    expanded_changed = Signal(bool)

    def __init__(
        self,
        deck: PromptDeck | None = None,
        *,
        rng: random.Random | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("promptsPanel")
        self.setAccessibleName("Prompts for you")
        self._rng = rng or random.Random()
        self._settings = settings
        self._deck = PromptDeck(())
        self._shown: list[tuple[str, str]] = []
        self._index = 0

        title = QLabel("Prompts · only on your screen", self)
        title.setObjectName("roundSectionTitle")
        self.toggle_button = _button("", self)
        self.body = QWidget(self)
        self.category_combo = QComboBox(self.body)
        self.category_combo.setAccessibleName("Prompt category")
        self.category_combo.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.category_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.previous_button = _button("Previous", self.body, "Previous prompt", "[")
        self.next_button = _button("Next", self.body, "Next prompt", "]")
        self.another_button = _button("Another", self.body, "Another prompt, at random")
        self.category_label = QLabel(self.body)
        self.category_label.setObjectName("hint")
        self.category_label.setWordWrap(True)
        self.category_label.setContentsMargins(6, 0, 0, 0)  # in line with the prompt's text
        self.prompt_label = QLabel(self.body)
        # The agreements' look: the round panel's text for reading at a glance.
        self.prompt_label.setObjectName("roundAgreements")
        self.prompt_label.setAccessibleName("Prompt")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.prompt_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._build_layout(title)
        self._connect_signals()
        self._install_shortcuts()

        shown = True
        if settings is not None:
            shown = bool(settings.value(SETTINGS_KEY, True, type=bool))
        self._apply_expanded(shown)
        self.set_deck(deck or PromptDeck(()))

    def _build_layout(self, title: QLabel) -> None:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        header = QHBoxLayout()
        header.setContentsMargins(18, 4, 18, 0)
        header.addWidget(title)
        header.addWidget(self.count_label)
        header.addStretch(1)
        header.addWidget(self.toggle_button)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(2)
        text.addWidget(self.prompt_label)
        text.addWidget(self.category_label)
        text.addStretch(1)
        steps = QHBoxLayout()
        steps.setContentsMargins(0, 0, 0, 0)
        steps.setSpacing(6)
        for button in (self.previous_button, self.next_button, self.another_button):
            steps.addWidget(button)
        controls = QVBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(6)
        controls.addWidget(self.category_combo)
        controls.addLayout(steps)
        controls.addStretch(1)
        body = QHBoxLayout(self.body)
        body.setContentsMargins(18, 0, 18, 0)
        body.setSpacing(18)
        body.addLayout(text, 1)
        body.addLayout(controls)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 10)
        column.setSpacing(4)
        column.addWidget(line)
        column.addLayout(header)
        column.addWidget(self.body)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Room for two lines whatever the prompt, so the circle above does not jump as
        # shorter and longer prompts come and go.
        lines = self.prompt_label.fontMetrics().lineSpacing() * 2
        self.prompt_label.setMinimumHeight(lines + 8)
        super().showEvent(event)

    def _connect_signals(self) -> None:
        self.toggle_button.clicked.connect(self.toggle)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.another_button.clicked.connect(self.another)
        self.category_combo.currentIndexChanged.connect(self._on_category_chosen)

    def _install_shortcuts(self) -> None:
        # On the panel, Q works while it is folded; on the body, [ and ] only while shown.
        for parent, key, slot in (
            (self, Qt.Key.Key_Q, self.toggle),
            (self.body, Qt.Key.Key_BracketLeft, self.previous),
            (self.body, Qt.Key.Key_BracketRight, self.next),
        ):
            shortcut = QShortcut(QKeySequence(key), parent)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setAutoRepeat(False)
            shortcut.activated.connect(slot)

    # ---- the deck ----------------------------------------------------------------------------

    def set_deck(self, deck: PromptDeck) -> None:
        """Show prompts from ``deck``, keeping the chosen category when it is still there."""
        chosen = self.category
        self._deck = deck
        names = [c.name for c in deck.categories if c.prompts]
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        self.category_combo.addItem(ALL_PROMPTS, None)
        for name in names:
            self.category_combo.addItem(name, name)
        self.category_combo.setCurrentIndex(names.index(chosen) + 1 if chosen in names else 0)
        self.category_combo.blockSignals(False)
        self._on_category_chosen()

    @property
    def deck(self) -> PromptDeck:
        return self._deck

    @property
    def category(self) -> str | None:
        """The category the prompts are taken from; None for all of them."""
        data = self.category_combo.currentData()
        return data if isinstance(data, str) else None

    def set_category(self, name: str | None) -> None:
        """Take prompts from the category ``name`` only (None: from all of them)."""
        row = self.category_combo.findData(name) if name is not None else 0
        if row < 0:
            raise KeyError(name)
        self.category_combo.setCurrentIndex(row)

    @property
    def current(self) -> tuple[str, str] | None:
        """(category, prompt) shown now, or None when there is nothing to show."""
        return self._shown[self._index] if self._shown else None

    def next(self) -> None:
        self._go(self._index + 1)

    def previous(self) -> None:
        self._go(self._index - 1)

    def another(self) -> None:
        """A prompt chosen at random, never the one already shown."""
        count = len(self._shown)
        if count > 1:
            pick = self._rng.randrange(count - 1)
            self._go(pick if pick < self._index else pick + 1)

    def _on_category_chosen(self, *_: object) -> None:
        chosen = self.category
        self._shown = [
            (name, prompt)
            for name, prompt in self._deck.all_prompts()
            if chosen is None or name == chosen
        ]
        self._go(0)

    def _go(self, index: int) -> None:
        count = len(self._shown)
        self._index = index % count if count else 0
        current = self.current
        for button in (self.previous_button, self.next_button, self.another_button):
            button.setEnabled(count > 1)
        self.category_combo.setEnabled(bool(count))
        if current is None:
            self.count_label.setText("")
            self.category_label.setText("")
            self.prompt_label.setText(EMPTY_TEXT)
            return
        self.count_label.setText(f"{self._index + 1} of {count}")
        # Under the prompt when the prompts come from every category; the list says it
        # when they come from one.
        self.category_label.setText(current[0] if self.category is None else "")
        self.prompt_label.setText(current[1])

    # ---- showing and folding -----------------------------------------------------------------

    def is_expanded(self) -> bool:
        return not self.body.isHidden()

    def set_expanded(self, shown: bool) -> None:
        if shown == self.is_expanded():
            return
        self._apply_expanded(shown)
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, shown)
        self.expanded_changed.emit(shown)

    def toggle(self) -> None:
        self.set_expanded(not self.is_expanded())

    def _apply_expanded(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self.count_label.setVisible(shown)
        self.toggle_button.setText("Hide (Q)" if shown else "Show (Q)")
        self.toggle_button.setAccessibleName("Hide the prompts" if shown else "Show the prompts")


def _button(text: str, parent: QWidget, accessible: str = "", key: str = "") -> QPushButton:
    """A button that never takes the keyboard focus, with its key in the tooltip."""
    button = QPushButton(text, parent)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if accessible:
        button.setAccessibleName(accessible)
        button.setToolTip(f"{accessible} ({key})" if key else accessible)
    return button
