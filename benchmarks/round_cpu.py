"""CPU used while a sharing round runs: the talking-stick window plus the presenter view.

    python benchmarks/round_cpu.py [--seconds 10] [--people 12] [--pass-every 0]

Runs a real RoundWindow (offscreen unless QT_QPA_PLATFORM says otherwise) on the real
monotonic clock, with the presenter view open at 1920x1080, and reports the process's CPU
time per wall-clock second as a percentage of one core. Goal: under 3%.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402

from peercircle.app import create_application  # noqa: E402
from peercircle.services.round_engine import RoundSettings, SharingRound, Speaker  # noqa: E402
from peercircle.ui.dialog_service import DialogService  # noqa: E402
from peercircle.ui.round.chime import SilentChime  # noqa: E402
from peercircle.ui.round.round_window import RoundWindow  # noqa: E402

NAMES = [
    "Ágnes", "Nguyễn Văn An", "Ольга", "Samir", "Kwame", "Bartholomew", "Li Wei", "Fatima",
    "Zofia", "Mateo", "Siobhán", "Hiroshi", "Παναγιώτα", "Tomás", "Amara", "Björn", "Priya",
    "Yusuf", "Małgorzata", "Chen Jing", "Aroha", "Dmitri", "Inés", "Oluwaseun",
]  # fmt: skip
WARM_UP_MS = 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--people", type=int, default=12)
    parser.add_argument(
        "--pass-every", type=float, default=0.0, help="pass the stick on every N seconds"
    )
    args = parser.parse_args()
    app = create_application()
    people = [
        Speaker(f"m{i}", NAMES[i % len(NAMES)], seat=i, member_id=i) for i in range(args.people)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        sharing = SharingRound(people, RoundSettings(time_seconds=180), time.monotonic)
        window = RoundWindow(
            sharing,
            group_name="Benchmark Circle",
            agreements="Passing is always fine.",
            dialogs=DialogService(),
            chime=SilentChime(),
            settings=settings,
        )
        window.resize(1280, 760)
        window.show()
        window.start()
        presenter = window.open_presenter()
        presenter.resize(1920, 1080)
        if args.pass_every > 0:
            passer = QTimer()
            passer.timeout.connect(window.next_speaker)
            passer.start(round(args.pass_every * 1000))

        marks: dict[str, float] = {}

        def begin() -> None:
            marks["cpu"], marks["wall"] = time.process_time(), time.perf_counter()
            marks["paints"] = window.circle.repaints + presenter.circle.repaints

        def end() -> None:
            marks["cpu"] = time.process_time() - marks["cpu"]
            marks["wall"] = time.perf_counter() - marks["wall"]
            marks["paints"] = window.circle.repaints + presenter.circle.repaints - marks["paints"]
            sharing.finish()  # quitting closes the windows; a running round would ask first
            window.refresh()
            app.quit()

        QTimer.singleShot(WARM_UP_MS, begin)
        QTimer.singleShot(WARM_UP_MS + round(args.seconds * 1000), end)
        app.exec()
        window.close()
    cpu, wall = marks["cpu"], marks["wall"]
    print(
        f"round view + presenter, {args.people} people, {wall:.1f} s: "
        f"CPU {100 * cpu / wall:.2f}% of one core "
        f"({marks['paints'] / wall:.1f} circle repaints per second)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
