"""The resource editor: one calm form, checked as you type, saved only when it is right."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
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
from peercircle.ui.form_helpers import CheckedFormDialog, ErrorLabel

FIELDS = ("title", "kind", "phone", "url", "address", "tags", "description")


class ResourceDialog(CheckedFormDialog):
    """Add or edit a resource. ``draft()`` holds the result once accepted."""

    def __init__(self, resource: ResourceRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resource = resource
        self.setWindowTitle("Edit resource" if resource else "Add resource")
        self.setMinimumWidth(560)

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
            self._add_field(form, label, name, widget)
        self._make_buttons()

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
        self._check_as_typed(
            (
                ("title", self.title),
                ("phone", self.phone),
                ("url", self.url),
                ("address", self.address),
                ("tags", self.tags),
            )
        )
        self.description.textChanged.connect(lambda: self._on_edited("description"))

    # ---- validation and result -----------------------------------------------------------

    def _check(self) -> dict[str, str]:
        return resource_errors(trim_resource(self.draft()))

    def _validate(self) -> dict[str, str]:
        errors = super()._validate()
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
