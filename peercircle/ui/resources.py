"""The UI finds its stylesheet and icons through the shared, Qt-free resource locator."""

from __future__ import annotations

from peercircle.resources import resource_path, resources_dir

__all__ = ["resource_path", "resources_dir", "stylesheet"]

_RESOURCES_TOKEN = "@RESOURCES@"


def stylesheet() -> str:
    """The app's stylesheet, with image urls pointing into the resources folder."""
    text = resource_path("style.qss").read_text(encoding="utf-8")
    return text.replace(_RESOURCES_TOKEN, resources_dir().as_posix())
