"""With several screens the facilitator chooses where the presenter view goes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

THREE_SCREENS = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMenu
from peercircle.services.round_engine import RoundSettings, SharingRound, Speaker
from peercircle.ui.round.chime import SilentChime
from peercircle.ui.round.round_window import RoundWindow

class Dialogs:
    def confirm(self, *args): return True
    def info(self, *args): pass
    def error(self, *args): pass

app = QApplication([])
window = RoundWindow(
    SharingRound([Speaker("m1", "Ágnes", 0)], RoundSettings(), lambda: 0.0),
    group_name="Tuesday Circle", agreements="", dialogs=Dialogs(), chime=SilentChime(),
    settings=QSettings(sys.argv[1], QSettings.Format.IniFormat),
)
window.show()
app.processEvents()

def choose_tv():
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu), menu
    print("|".join(a.text() for a in menu.actions()))
    menu.setActiveAction(menu.actions()[1])
    menu.actions()[1].trigger()
    menu.close()

QTimer.singleShot(50, choose_tv)
window.presenter_button.click()
app.processEvents()
presenter = window.presenter
print(presenter.screen().name(), presenter.isFullScreen())
"""


def test_with_three_screens_the_facilitator_picks_one(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    screens = [
        {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "dpr": 1},
        {"name": "monitor", "x": 1366, "y": 0, "width": 2560, "height": 1440, "dpr": 1},
        {"name": "tv", "x": 3926, "y": 0, "width": 1920, "height": 1080, "dpr": 1},
    ]
    config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run(
        [sys.executable, "-c", THREE_SCREENS, str(tmp_path / "settings.ini")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "monitor — 2560×1440|tv — 1920×1080"
    assert lines[1] == "tv True"
