"""The UI finds its stylesheet and icons through the shared, Qt-free resource locator."""

from __future__ import annotations

from peercircle.resources import resource_path, resources_dir

__all__ = ["resource_path", "resources_dir"]
