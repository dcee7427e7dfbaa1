"""Start-up to first paint: PeerCircle (empty and 10,000 members) beside a bare PySide6 window.

    python benchmarks/startup.py [--runs 7]

Each run is a fresh process, timed from just before it is started to
  - its first paint (the window is on screen), and
  - for PeerCircle, "ready": the window drawn again with the roster loaded
    (``--smoke-test`` quits right then; PEERCIRCLE_STARTUP_TIMING makes it say when).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
class Quit(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            import time
            print(f"first_paint_at={time.time():.6f}", file=sys.stderr)
            QTimer.singleShot(0, app.quit)
        return False
window = QMainWindow()
window.resize(1100, 700)
watcher = Quit()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""


def time_command(command: list[str], runs: int) -> tuple[float, float | None]:
    """Median seconds from launch to first paint, and to ready (None if not reported)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PEERCIRCLE_STARTUP_TIMING="1")
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm the disk cache
    paints, readies = [], []
    for _ in range(runs):
        start = time.time()
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        marks = dict(re.findall(r"(\w+_at)=([0-9.]+)", done.stderr))
        paints.append(float(marks["first_paint_at"]) - start)
        if "ready_at" in marks:
            readies.append(float(marks["ready_at"]) - start)
    return statistics.median(paints), statistics.median(readies) if readies else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        empty, full = Path(tmp, "empty"), Path(tmp, "full")
        subprocess.run(
            [py, "-m", "peercircle", "--data-dir", str(full), "demo-data", "--members", "10000"],
            check=True,
            capture_output=True,
        )
        bare, _ = time_command([py, "-c", BARE_WINDOW], args.runs)
        results = {
            "bare PySide6 window": (bare, None),
            "PeerCircle, empty database": time_command(
                [py, "-m", "peercircle", "--data-dir", str(empty), "--smoke-test"], args.runs
            ),
            "PeerCircle, 10,000 members": time_command(
                [py, "-m", "peercircle", "--data-dir", str(full), "--smoke-test"], args.runs
            ),
        }
    print(f"start-up, median of {args.runs} runs          first paint        roster on screen")
    for name, (paint, ready) in results.items():
        line = f"  {name:<28} {paint * 1000:6.0f} ms ({paint / bare:.2f}x bare)"
        if ready is not None:
            line += f"   {ready * 1000:6.0f} ms ({ready / bare:.2f}x)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
