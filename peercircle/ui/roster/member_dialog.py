"""The member editor: one calm form, checked as you type, saved only when it is right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle import domain as models
from peercircle.domain import MemberStatus, Role
from peercircle.services.roster_types import (
    GroupInfo,
    MemberDraft,
    MemberRow,
    member_errors,
    trim_member,
)
from peercircle.ui.form_helpers import CheckedFormDialog, ErrorLabel, OptionalDateEdit
from peercircle.ui.roster.membership_model import MembershipTableModel
from peercircle.ui.roster.table_model import STATUS_LABELS

PRONOUN_SUGGESTIONS = ("", "she/her", "he/him", "they/them", "she/they", "he/they", "any")


class MemberDialog(CheckedFormDialog):
    """Add or edit a member. ``draft()`` and ``memberships()`` hold the result once accepted."""

    def __init__(
        self,
        groups: Sequence[GroupInfo],
        member: MemberRow | None = None,
        memberships: Mapping[int, Role] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.member = member
        self.setWindowTitle("Edit member" if member else "Add member")
        self.setMinimumWidth(520)

        self.display_name = self._line(
            "Name", models.DISPLAY_NAME_MAX, "First name is enough, e.g. “Sam”"
        )
        self.full_name = self._line("Full name", models.FULL_NAME_MAX, "Optional")
        self.pronouns = QComboBox(self)
        self.pronouns.setEditable(True)
        self.pronouns.addItems(PRONOUN_SUGGESTIONS)
        self.pronouns.setAccessibleName("Pronouns")
        self.pronouns.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.pronouns.lineEdit().setMaxLength(models.PRONOUNS_MAX)
        self.pronouns.lineEdit().setPlaceholderText("Optional, in their words")
        self.email = self._line("E-mail", models.EMAIL_MAX, "Optional")
        self.phone = self._line("Phone", models.PHONE_MAX, "Optional")
        self.emergency_contact = self._line(
            "Emergency contact", models.EMERGENCY_CONTACT_MAX, "Optional: name and phone"
        )
        self.joined_on = OptionalDateEdit("Joined on", self)
        self.first_visit_on = OptionalDateEdit("First visit on", self)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status)
        self.may_contact = QCheckBox("Has agreed to be contacted for check-ins", self)
        self.may_contact.setAccessibleName("May be contacted for check-ins")

        self.errors = {
            name: ErrorLabel(self)
            for name in (
                "display_name",
                "full_name",
                "pronouns",
                "email",
                "phone",
                "emergency_contact",
            )
        }

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, name, widget in (
            ("&Name", "display_name", self.display_name),
            ("F&ull name", "full_name", self.full_name),
            ("&Pronouns", "pronouns", self.pronouns),
            ("&E-mail", "email", self.email),
            ("P&hone", "phone", self.phone),
            ("E&mergency contact", "emergency_contact", self.emergency_contact),
        ):
            self._add_field(form, label, name, widget)
        form.addRow("", self.joined_on)
        form.addRow("", self.first_visit_on)
        form.addRow(self._label("&Status", self.status), self.status)
        form.addRow("", self.may_contact)

        self.groups_model = MembershipTableModel(groups, memberships or {}, self)
        self.groups_view = QTableView(self)
        self.groups_view.setModel(self.groups_model)
        self.groups_view.setAccessibleName("Groups")
        self.groups_view.verticalHeader().hide()
        self.groups_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.groups_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.groups_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups_view.setMinimumHeight(min(60 + 30 * len(groups), 160))
        self.groups_view.setVisible(bool(groups))

        self._make_buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if groups:
            groups_label = QLabel("&Groups", self)
            groups_label.setBuddy(self.groups_view)
            layout.addWidget(groups_label)
            layout.addWidget(self.groups_view)
        layout.addWidget(self.buttons)

        if member is not None:
            self._load(member)
        self._connect_signals()
        self._validate()
        self.display_name.setFocus()

    # ---- building ------------------------------------------------------------------------

    def _load(self, m: MemberRow) -> None:
        self.display_name.setText(m.display_name)
        self.full_name.setText(m.full_name)
        self.pronouns.setCurrentText(m.pronouns)
        self.email.setText(m.email)
        self.phone.setText(m.phone)
        self.emergency_contact.setText(m.emergency_contact)
        self.joined_on.set_value(m.joined_on)
        self.first_visit_on.set_value(m.first_visit_on)
        self.status.setCurrentIndex(max(0, self.status.findData(m.status)))
        self.may_contact.setChecked(m.may_contact)
        self._touched.update(self.errors)

    def _connect_signals(self) -> None:
        self._check_as_typed(
            (
                ("display_name", self.display_name),
                ("full_name", self.full_name),
                ("email", self.email),
                ("phone", self.phone),
                ("emergency_contact", self.emergency_contact),
            )
        )
        self.pronouns.editTextChanged.connect(lambda _text: self._on_edited("pronouns"))

    # ---- validation and result -----------------------------------------------------------

    def _check(self) -> dict[str, str]:
        return member_errors(trim_member(self.draft()))

    def draft(self) -> MemberDraft:
        return MemberDraft(
            display_name=self.display_name.text(),
            full_name=self.full_name.text(),
            pronouns=self.pronouns.currentText(),
            email=self.email.text(),
            phone=self.phone.text(),
            emergency_contact=self.emergency_contact.text(),
            joined_on=self.joined_on.value(),
            first_visit_on=self.first_visit_on.value(),
            status=MemberStatus(self.status.currentData()),
            may_contact=self.may_contact.isChecked(),
        )

    def memberships(self) -> dict[int, Role]:
        return self.groups_model.memberships()
