"""Screenshots of the sharing round: setup, the talking-stick view in each state, the summary
and the presenter view at 720p and 1080p.

    python scripts/round_screenshots.py OUT_DIR

Runs offscreen with invented names and a fake clock (no waiting: time is moved by hand).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peercircle.app import create_application  # noqa: E402
from peercircle.services.round_engine import RoundSettings, SharingRound, Speaker  # noqa: E402
from peercircle.ui.round.chime import SilentChime  # noqa: E402
from peercircle.ui.round.round_setup_dialog import RoundSetupDialog  # noqa: E402
from peercircle.ui.round.round_window import RoundWindow  # noqa: E402

NAMES = [
    "Ágnes",
    "Nguyễn Văn An",
    "Ольга",
    "Samir",
    "Kwame",
    "Bartholomew",
    "Li Wei",
    "Fatima",
    "Zofia",
    "Mateo",
]
MORE_NAMES = [
    "Siobhán",
    "Hiroshi",
    "Παναγιώτα",
    "Tomás",
    "Amara",
    "Björn",
    "Priya",
    "Yusuf",
    "Małgorzata",
    "Chen Jing",
    "Aroha",
    "Dmitri",
    "Inés",
    "Oluwaseun",
]
AGREEMENTS = """What is shared here stays here.
One person speaks at a time; we listen without interrupting.
We speak from our own experience (“I”), and we don't give advice unless asked.
Passing is always fine.
We are kind to each other and to ourselves."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Dialogs:
    """Answers "yes" to every question: the script ends the round on purpose."""

    def confirm(self, title: str, text: str, ok_label: str) -> bool:
        return True

    def info(self, title: str, text: str) -> None:
        return

    def error(self, title: str, text: str) -> None:
        return


def people(names: list[str]) -> list[Speaker]:
    return [Speaker(f"m{i + 1}", name, seat=i, member_id=i + 1) for i, name in enumerate(names)]


def grab(widget: QWidget, path: Path) -> None:
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        candidates = people(NAMES + ["Siobhán", "Hiroshi"])
        dialog = RoundSetupDialog(
            candidates,
            present_keys={s.key for s in candidates[: len(NAMES)]},
            defaults=RoundSettings(),
        )
        dialog.show()
        grab(dialog, out / "01-setup.png")
        dialog.close()

        clock = FakeClock()
        sharing = SharingRound(people(NAMES), RoundSettings(), clock)
        window = RoundWindow(
            sharing,
            group_name="Tuesday Evening Circle",
            agreements=AGREEMENTS,
            dialogs=Dialogs(),
            chime=SilentChime(),
            settings=settings,
        )
        window.set_late_arrival_candidates(people(NAMES + ["Siobhán", "Hiroshi"]))
        window.circle.set_animated(False)
        window.resize(1280, 760)
        window.show()
        grab(window, out / "02-before-start.png")

        window.start()
        clock.now += 150
        window.next_speaker()
        window.pass_turn()
        clock.now += 70
        window.refresh()
        grab(window, out / "03-mid-round.png")

        presenter = window.open_presenter()
        presenter.circle.set_animated(False)
        presenter.resize(1280, 720)
        window.refresh()
        grab(presenter, out / "08-presenter-1280x720.png")
        presenter.resize(1920, 1080)
        window.refresh()
        grab(presenter, out / "09-presenter-1920x1080.png")
        presenter.close()

        clock.now += 85
        window.refresh()
        grab(window, out / "04-warning.png")
        clock.now += 43
        window.toggle_check_in_later()
        window.refresh()
        grab(window, out / "05-overtime.png")
        window.toggle_pause()
        grab(window, out / "06-paused.png")
        window.toggle_pause()
        for seconds in (200, 95, 160, 30, 140, 185, 120):
            clock.now += seconds
            window.next_speaker()
        clock.now += 64
        window.next_speaker()  # Nguyễn Văn An comes back
        clock.now += 90
        window.next_speaker()
        grab(window, out / "07-finished.png")
        window.save_and_close()

        crowd = SharingRound(people(NAMES + MORE_NAMES), RoundSettings(), clock)
        big = RoundWindow(
            crowd,
            group_name="Open Circle",
            agreements=AGREEMENTS,
            dialogs=Dialogs(),
            chime=SilentChime(),
            settings=settings,
        )
        big.circle.set_animated(False)
        big.resize(1280, 760)
        big.show()
        big.start()
        for _ in range(6):
            clock.now += 100
            big.next_speaker()
        clock.now += 20
        big.refresh()
        grab(big, out / "10-24-people.png")
        presenter = big.open_presenter()
        presenter.circle.set_animated(False)
        presenter.resize(1920, 1080)
        big.refresh()
        grab(presenter, out / "11-presenter-24-people-1920x1080.png")
        presenter.resize(1280, 720)
        big.refresh()
        grab(presenter, out / "12-presenter-24-people-1280x720.png")
        big.close()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots/round")))
