"""PeerCircle: a calm, offline companion for peer support group facilitators.

This module is the one source of truth for the application's name and version;
``peercircle.spec`` and ``pyproject.toml`` read them from here.
"""

import logging as _logging

__version__ = "0.1.0"
APP_NAME = "PeerCircle"
APP_ID = "org.peercircle.PeerCircle"

# Nothing is logged anywhere until peercircle.logs.configure_logging() names a file.
_logging.getLogger("peercircle").addHandler(_logging.NullHandler())
