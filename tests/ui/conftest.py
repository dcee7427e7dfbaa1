"""UI fixtures: a fake dialog service and a helper to answer modal dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FakeDialogs:
    """Stands in for DialogService: records what was asked and answers as told."""

    def __init__(self) -> None:
        self.confirm_answer = True
        self.open_path: Path | None = None
        self.save_path: Path | None = None
        self.asked: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []

    def confirm(self, title: str, text: str, ok_label: str) -> bool:
        self.asked.append((title, text))
        return self.confirm_answer

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def open_file(self, title: str, name_filter: str) -> Path | None:
        return self.open_path

    def save_file(self, title: str, suggested: str, name_filter: str) -> Path | None:
        return self.save_path


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def answer_dialog(qtbot) -> Callable[[Callable[[QWidget], None]], None]:  # type: ignore[no-untyped-def]
    """Run ``handler(dialog)`` on the next modal dialog once it is open."""

    def schedule(handler: Callable[[QWidget], None]) -> None:
        def check() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(10, check)
                return
            handler(dialog)

        QTimer.singleShot(0, check)

    return schedule
