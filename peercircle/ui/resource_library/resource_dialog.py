"""The resource editor: one calm form, checked as you type, saved only when it is right."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peercircle import domain as limits
from peercircle.domain import ResourceKind
from peercircle.services.resource_types import (
    KIND_LABELS,
    ResourceDraft,
    ResourceRow,
    resource_errors,
    trim_resource,
)
from peercircle.ui.form_helpers import ErrorLabel, save_cancel_buttons

FIELDS = ("title", "kind", "phone", "url", "address", "tags", "description")


class ResourceDialog(QDialog):
    """Add or edit a resource. ``draft()`` holds the result once accepted."""

    def __init__(self, resource: ResourceRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resource = resource
        self.setWindowTitle("Edit resource" if resource else "Add resource")
        self.setMinimumWidth(560)
        self._touched: set[str] = set()

        self.title = self._line("Title", limits.RESOURCE_TITLE_MAX, "e.g. “Riverside Warmline”")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        self.kind.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.phone = self._line("Phone", limits.PHONE_MAX, "Optional")
        self.url = self._line("Web address", limits.RESOURCE_URL_MAX, "Optional, e.g. example.org")
        self.address = self._line("Address", limits.RESOURCE_ADDRESS_MAX, "Optional")
        self.tags = self._line(
            "Tags", limits.RESOURCE_TAGS_MAX, "Optional, separated by commas: sleep, carers"
        )
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText(
            "Optional: what it offers and when, in a sentence or two"
        )
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(104)
        hint = QLabel(
            "Everything here may be printed on a group's handout, so keep it to what anyone "
            "may read.",
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        self.errors = {name: ErrorLabel(self) for name in FIELDS}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, name, widget in (
            ("&Title", "title", self.title),
            ("&Kind", "kind", self.kind),
            ("&Phone", "phone", self.phone),
            ("&Web address", "url", self.url),
            ("A&ddress", "address", self.address),
            ("T&ags", "tags", self.tags),
            ("D&escription", "description", self.description),
        ):
            form.addRow(self._label(label, widget), widget)
            form.addRow("", self.errors[name])

        self.buttons = save_cancel_buttons(self, self._on_accept)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)

        if resource is not None:
            self._load(resource)
        self._connect_signals()
        self._validate()
        self.title.setFocus()

    # ---- building ------------------------------------------------------------------------

    def _line(self, accessible: str, limit: int, hint: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setMaxLength(limit + 50)  # longer input gets an inline message, not a silent cut
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(hint)
        edit.setClearButtonEnabled(True)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _load(self, r: ResourceRow) -> None:
        self.title.setText(r.title)
        self.kind.setCurrentIndex(max(0, self.kind.findData(r.kind)))
        self.phone.setText(r.phone)
        self.url.setText(r.url)
        self.address.setText(r.address)
        self.tags.setText(r.tags)
        self.description.setPlainText(r.description)
        self._touched.update(FIELDS)

    def _connect_signals(self) -> None:
        for name, edit in (
            ("title", self.title),
            ("phone", self.phone),
            ("url", self.url),
            ("address", self.address),
            ("tags", self.tags),
        ):
            edit.textEdited.connect(lambda _text, n=name: self._on_edited(n))
        self.description.textChanged.connect(lambda: self._on_edited("description"))

    # ---- validation and result -----------------------------------------------------------

    def _on_edited(self, field: str) -> None:
        self._touched.add(field)
        self._validate()

    def _validate(self) -> dict[str, str]:
        errors = resource_errors(trim_resource(self.draft()))
        for name, label in self.errors.items():
            label.show_message(errors.get(name) if name in self._touched else None)
        self.save_button.setEnabled(not errors)
        self._grow_to_fit()
        return errors

    def _grow_to_fit(self) -> None:
        """Make room for a message that wraps onto two lines: Qt's minimum size for the
        window counts it as one, which would cut it in half."""
        needed = self.heightForWidth(self.width())
        if self.isVisible() and needed > self.height():
            self.resize(self.width(), needed)

    def draft(self) -> ResourceDraft:
        return ResourceDraft(
            title=self.title.text(),
            kind=ResourceKind(self.kind.currentData()),
            description=self.description.toPlainText(),
            phone=self.phone.text(),
            url=self.url.text(),
            address=self.address.text(),
            tags=self.tags.text(),
        )

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show messages that came back from saving."""
        for name, message in errors.items():
            if name in self.errors:
                self.errors[name].show_message(message)

    def _on_accept(self) -> None:
        self._touched.update(FIELDS)
        if not self._validate():
            self.accept()
