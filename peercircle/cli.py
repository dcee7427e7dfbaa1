"""Command line: no arguments opens the window; subcommands run headless jobs.

Headless subcommands never import Qt: the GUI is imported only when it is started.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from peercircle import APP_NAME, __version__


class CliError(Exception):
    """A failure the user can act on: printed as one line on stderr, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peercircle",
        description=f"{APP_NAME}: a calm companion for peer support group facilitators. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help="folder holding PeerCircle's data (default: PEERCIRCLE_DATA_DIR, "
        "else your user data folder)",
    )
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="open the main window, exit as soon as it has been drawn (for checks)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_commands(commands)
    return parser


def _add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from peercircle import commands as headless

    headless.register(commands)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from peercircle.paths import data_dir

    directory = data_dir(args.data_dir)
    if args.command is None:
        from peercircle.app import run_gui

        return run_gui(directory, smoke_test=args.smoke_test)
    try:
        result: int = args.run(args, directory)
        return result
    except CliError as exc:
        print(f"peercircle: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("peercircle: interrupted; nothing was changed.", file=sys.stderr)
        return 130


def data_path(directory: Path) -> Path:
    from peercircle.paths import database_path

    return database_path(directory)
