"""The window paints before the slow imports: nothing imported to draw it may pull them in."""

from __future__ import annotations

import os
import subprocess
import sys

SLOW = ("sqlalchemy", "alembic", "cryptography", "reportlab", "pypdfium2")


def test_the_window_module_imports_nothing_slow() -> None:
    code = (
        "import sys\n"
        "import peercircle.app\n"
        f"print(','.join(m for m in {SLOW!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == ""
