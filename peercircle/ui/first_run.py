"""The welcome shown while there are no groups yet: three calm ways to begin.

Signals:
    create_group_requested(), import_requested(), sample_data_requested()
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class FirstRunScreen(QWidget):
    create_group_requested = Signal()
    import_requested = Signal()
    sample_data_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        title = QLabel("Welcome to PeerCircle", self)
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Keep the people of your groups in one calm place — on this computer only.\n"
            "How would you like to begin?",
            self,
        )
        text.setObjectName("welcomeText")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)

        self.create_button = QPushButton("Create your first group", self)
        self.create_button.setObjectName("primaryButton")
        self.create_button.setAccessibleName("Create your first group")
        self.import_button = QPushButton("Import a roster from a spreadsheet (CSV)…", self)
        self.import_button.setAccessibleName("Import a roster from a CSV file")
        self.sample_button = QPushButton("Try it with sample data", self)
        self.sample_button.setAccessibleName("Try it with invented sample data")
        hint = QLabel(
            "Sample data is invented people and groups; you can archive them later.", self
        )
        hint.setObjectName("hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)

        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(title)
        column.addWidget(text)
        column.addSpacing(16)
        for button in (self.create_button, self.import_button, self.sample_button):
            button.setMinimumHeight(40)
            column.addWidget(button)
        column.addSpacing(8)
        column.addWidget(hint)

        holder = QWidget(self)
        holder.setMaximumWidth(460)
        holder.setLayout(column)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

        self.create_button.clicked.connect(self.create_group_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.sample_button.clicked.connect(self.sample_data_requested)
        self.setFocusProxy(self.create_button)
