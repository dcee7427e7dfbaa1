"""Entry point for ``python -m peercircle`` and the PyInstaller bundle."""

import sys

from peercircle.cli import main

if __name__ == "__main__":
    sys.exit(main())
