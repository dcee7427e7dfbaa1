"""The command-line tests share their subprocess runner and checks from ``cli_helpers``."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("cli_helpers")
