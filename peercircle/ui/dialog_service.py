"""All modal questions go through one small object, so screens are tested with a fake."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class DialogService:
    """Ask and tell the user things. Tests substitute an object with the same methods."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent

    def set_parent(self, parent: QWidget) -> None:
        self._parent = parent

    def confirm(self, title: str, text: str, ok_label: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        ok = box.addButton(ok_label, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(ok)
        box.exec()
        return box.clickedButton() is ok

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self._parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self._parent, title, text)

    def open_file(self, title: str, name_filter: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self._parent, title, str(Path.home()), name_filter)
        return Path(name) if name else None

    def save_file(self, title: str, suggested: str, name_filter: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self._parent, title, str(Path.home() / suggested), name_filter
        )
        return Path(name) if name else None
