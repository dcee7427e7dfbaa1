"""``--smoke-test`` on good and damaged data, and where the data folder is found."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_helpers import run_peercircle

from peercircle.paths import DATA_DIR_ENV, data_dir, database_path


def smoke(data: Path) -> subprocess.CompletedProcess[str]:
    return run_peercircle("--data-dir", str(data), "--smoke-test")


def test_smoke_test_opens_a_new_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    done = smoke(data)
    assert done.returncode == 0, done.stderr
    assert database_path(data).is_file()


def test_smoke_test_fails_clearly_on_a_damaged_file_and_leaves_it_alone(tmp_path: Path) -> None:
    data = tmp_path / "damaged"
    data.mkdir()
    damaged = database_path(data)
    damaged.write_bytes(b"this is a shopping list, not a database\n" * 20)
    before = damaged.read_bytes()
    done = smoke(data)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "damaged or is not a PeerCircle database" in done.stderr
    assert damaged.read_bytes() == before


def test_data_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert data_dir(tmp_path / "from-option") == tmp_path / "from-option"
    assert data_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv(DATA_DIR_ENV)
    default = data_dir(None)
    assert default.name == "PeerCircle"
    assert not default.exists() or default.is_dir()  # computed, never created here
