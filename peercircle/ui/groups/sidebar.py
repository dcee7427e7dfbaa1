"""The window's left side: the way to follow-ups, the list of groups, and “+ New group”."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.ui.groups.group_list_model import GroupListModel


class Sidebar(QWidget):
    def __init__(self, model: GroupListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebarPanel")
        self.setMinimumWidth(200)
        self.groups = QListView(self)
        self.groups.setObjectName("sidebar")
        self.groups.setModel(model)
        self.groups.setAccessibleName("Groups")
        self.groups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups.setUniformItemSizes(True)
        self.groups.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_group_button = QPushButton("+ New group", self)
        self.new_group_button.setObjectName("sidebarButton")
        self.new_group_button.setAccessibleName("New group")
        # The way home: follow-ups due across all groups (the count needs no key).
        self.follow_ups_button = QPushButton("Follow-ups", self)
        self.follow_ups_button.setObjectName("sidebarHome")
        self.follow_ups_button.setAccessibleName("Follow-ups")
        self.follow_ups_button.setCheckable(True)
        self.follow_ups_button.setEnabled(False)
        title = QLabel("Groups", self)
        title.setObjectName("sidebarTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 12, 12)
        layout.addWidget(self.follow_ups_button)
        layout.addSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.groups, 1)
        layout.addWidget(self.new_group_button)

    def show_due(self, due: int, tooltip: str) -> None:
        """“Follow-ups · 3 due”, in bold when something is due."""
        button = self.follow_ups_button
        button.setText(f"Follow-ups · {due} due" if due else "Follow-ups")
        button.setToolTip(tooltip)
        if button.property("due") != bool(due):
            button.setProperty("due", bool(due))
            button.style().unpolish(button)
            button.style().polish(button)
