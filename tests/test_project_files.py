"""The project files agree with each other: README, CI script, spec, resources."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import peercircle
from peercircle.pdf.fonts import FONT_FILES
from peercircle.resources import resources_dir

ROOT = Path(__file__).resolve().parent.parent


def _test_command_in_readme() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\s*```(?:bash|sh)?\n(?P<body>.*?)```", readme, re.S)
    assert match, "README.md must mark its test command with <!-- test-command -->"
    lines = [ln for ln in match["body"].splitlines() if ln.strip()]
    return lines[-1].strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _test_command_in_readme()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in [line.strip() for line in ci]


def test_spec_takes_name_and_version_from_the_package() -> None:
    spec = (ROOT / "peercircle.spec").read_text(encoding="utf-8")
    assert "from peercircle import APP_ID, APP_NAME, __version__" in spec
    assert '"resources"' in spec and "migrations" in spec


def test_every_resource_the_app_uses_exists() -> None:
    used = set()
    for source in (ROOT / "peercircle").rglob("*.py"):
        used.update(re.findall(r'resource_path\("([^"]+)"\)', source.read_text("utf-8")))
    assert used, "expected the UI to load resources through resource_path()"
    for name in used:
        assert (resources_dir() / name).is_file(), name
        assert (ROOT / "resources" / name).is_file(), name


def test_every_font_is_shipped_installed_and_licensed() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = pyproject["tool"]["setuptools"]["data-files"]
    installed = {
        f"{folder.removeprefix('share/peercircle/')}/{Path(file).name}"
        for folder, files in data_files.items()
        for file in files
    }
    readme = (ROOT / "resources" / "fonts" / "README.md").read_text(encoding="utf-8")
    for name in FONT_FILES.values():
        assert (resources_dir() / name).is_file(), name
        assert (ROOT / "resources" / name).read_bytes()[:4] == b"\x00\x01\x00\x00", (
            f"{name} must be a TrueType font (ReportLab cannot embed CFF .otf fonts)"
        )
        assert f"resources/{name}" in installed, f"{name} is missing from data-files"
        assert f"`{Path(name).name}`" in readme, f"{name} is not described in fonts/README.md"
    licences = re.findall(r"`(LICENSE[^`]*)`", readme)
    assert len(set(licences)) == 3
    for licence in licences:
        assert (ROOT / "resources" / "fonts" / licence).is_file(), licence
        assert f"resources/fonts/{licence}" in installed, f"{licence} is missing from data-files"


def test_the_bundle_carries_the_whole_resources_folder() -> None:
    spec = (ROOT / "peercircle.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec


def test_version_is_a_plain_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", peercircle.__version__)
