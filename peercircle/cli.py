"""Command line: no arguments opens the window; subcommands run headless jobs.

Headless subcommands never import Qt: the GUI is imported only when it is started, and a
subcommand imports the services it needs only when it runs, so ``--version`` is instant.
Every failure a person can act on is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from peercircle import APP_NAME, __version__
from peercircle.cli_support import CliError, cli_database

if TYPE_CHECKING:
    from peercircle.db import Database
    from peercircle.services.attendance_import_types import AttendancePreview
    from peercircle.services.printing import Printout
    from peercircle.services.roster import RosterService
    from peercircle.services.roster_csv import ImportPreview, ImportResult
    from peercircle.services.roster_types import GroupInfo

Command = Callable[[argparse.Namespace, Path], int]


def build_parser() -> argparse.ArgumentParser:
    from peercircle import cli_backup, cli_members

    parser = argparse.ArgumentParser(
        prog="peercircle",
        description=f"{APP_NAME}: a calm companion for peer support group facilitators. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder holding PeerCircle's data (default: PEERCIRCLE_DATA_DIR, "
        "else your user data folder)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="use your organisation's shared database instead of the one in the data folder, "
        "e.g. postgresql://name@server/database (default: PEERCIRCLE_DATABASE_URL); keep the "
        "password out of it, in ~/.pgpass",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window, exit as soon as it has been drawn (for checks)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    imports = commands.add_parser(
        "import-roster",
        help="add or update members from a CSV file",
        description="Add or update members from a spreadsheet saved as CSV (comma, semicolon "
        "or tab separated). Rows that cannot be imported are listed with the reason; the "
        "rest is saved in one step, all or nothing.",
    )
    _add_import_arguments(imports, group_help="group to add them to (created if new)")
    imports.set_defaults(run=_import_roster)

    attendance = commands.add_parser(
        "import-attendance",
        help="add a group's attendance history from a CSV file",
        description="Add a group's attendance history from a spreadsheet saved as CSV: a "
        "list (a date, a name and a mark on each line) or a grid (a name column and one "
        "column per meeting, headed by its date). Marks: x, ✓ or P for present, L for late, "
        "E for excused, A for absent; a blank cell records nothing. Problems are listed with "
        "their row and column, and nothing is imported until the file has none; then "
        "everything is saved in one step.",
    )
    _add_import_arguments(attendance, group_help="the group the meetings belong to")
    attendance.add_argument(
        "--add-unknown",
        action="store_true",
        help="add names that are not in the group as new members of it",
    )
    attendance.set_defaults(run=_import_attendance)

    exports = commands.add_parser(
        "export-roster",
        help="write members to a CSV file",
        description="Write members to a CSV file (UTF-8, comma separated) that spreadsheets "
        "open as-is and that import-roster reads back.",
    )
    exports.add_argument(
        "--group", metavar="NAME", help="only this group, in seating order (default: everyone)"
    )
    exports.add_argument(
        "-o", "--output", required=True, metavar="FILE", type=Path, help="file to write"
    )
    exports.set_defaults(run=_export_roster)
    cli_members.add_commands(commands)

    cli_backup.add_commands(commands)
    _add_pdf_commands(commands)

    demo = commands.add_parser(
        "demo-data",
        help="add sample groups, invented members, their meetings and private notes to try "
        "things out",
        description="Add three sample groups and invented members (fictional names, "
        "example.org e-mail addresses, 555-01xx phone numbers), with about four months of "
        "their meetings, attendance and sharing rounds. If your private notes are not set up "
        "yet, they are too, with a few invented notes and follow-ups, locked with a "
        "passphrase that is printed at the end (change it before writing real notes).",
    )
    demo.add_argument(
        "--members",
        type=_count,
        default=24,
        metavar="N",
        help="how many invented members (default: 24)",
    )
    demo.set_defaults(run=_demo_data)
    return parser


def _add_import_arguments(parser: argparse.ArgumentParser, *, group_help: str) -> None:
    """FILE, --group and --dry-run: the arguments every import command takes."""
    parser.add_argument("file", metavar="FILE", type=Path, help="the CSV file to read")
    parser.add_argument("--group", required=True, metavar="NAME", help=group_help)
    parser.add_argument(
        "--dry-run", action="store_true", help="only show what would happen; change nothing"
    )


def _add_pdf_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pdf = commands.add_parser(
        "pdf",
        help="make a printable PDF: sign-in sheet, attendance report, handout, agreements",
        description="Make a printable PDF for a group. Printouts never contain private "
        "notes or members' contact details.",
    )
    documents = pdf.add_subparsers(dest="document", required=True, metavar="DOCUMENT")
    sign_in = documents.add_parser(
        "sign-in", help="a sign-in sheet for a meeting, names pre-filled"
    )
    sign_in.add_argument("--date", required=True, type=_iso_date, metavar="YYYY-MM-DD")
    sign_in.add_argument(
        "--initials", action="store_true", help="first name and initial only (“Ágnes K.”)"
    )
    attendance = documents.add_parser(
        "attendance", help="an attendance report for a date range (landscape)"
    )
    attendance.add_argument(
        "--from", dest="date_from", required=True, type=_iso_date, metavar="YYYY-MM-DD"
    )
    attendance.add_argument(
        "--to", dest="date_to", required=True, type=_iso_date, metavar="YYYY-MM-DD"
    )
    documents.add_parser("handout", help="the group's chosen resources and agreements")
    documents.add_parser("agreements", help="a card with the group's agreements")
    for parser in documents.choices.values():
        parser.add_argument("--group", required=True, metavar="NAME", help="the group")
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", type=Path, help="PDF file to write"
        )
        parser.add_argument(
            "--paper",
            choices=("a4", "letter"),
            help="paper size (default: from your system's locale)",
        )
    pdf.set_defaults(run=_pdf)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, not {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from peercircle.paths import data_dir, database_url

    directory = data_dir(args.data_dir)
    if args.command is None:
        from peercircle.app import run_gui

        return run_gui(
            directory, smoke_test=args.smoke_test, database_url=database_url(args.database_url)
        )
    _tolerate_unprintable_output()
    run: Command = args.run
    try:
        return run(args, directory)
    except CliError as exc:
        print(f"peercircle: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("peercircle: interrupted; nothing was changed.", file=sys.stderr)
        return 130


def _tolerate_unprintable_output() -> None:
    """Names in any script must not crash a terminal that cannot show them."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


# ---- imports: the flow import-roster and import-attendance share -------------------------


class _Preview(Protocol):
    @property
    def has_changes(self) -> bool: ...


_P = TypeVar("_P", bound=_Preview)
_R = TypeVar("_R")


def _run_import(
    args: argparse.Namespace,
    directory: Path,
    *,
    read: Callable[[Path], bytes],
    parse: Callable[[bytes], object],
    preview: Callable[[Database, bytes], _P],
    show: Callable[[Path, _P], None],
    commit: Callable[[Database, _P], _R],
    report: Callable[[_R], str],
) -> int:
    """Read ``args.file``, preview the import, then commit it unless ``args.dry_run``.

    An unreadable or unusable file is refused before the database is opened. ``show`` prints
    the preview and raises CliError if it must not be imported; ``report`` is the last line.
    """
    from peercircle.services.roster_csv_parsing import RosterImportError

    path: Path = args.file
    try:
        data = read(path)
    except RosterImportError as exc:
        raise CliError(str(exc)) from exc
    try:
        parse(data)  # refuse an unusable file before touching the database
    except RosterImportError as exc:
        raise CliError(f"{path.name}: {exc}") from exc
    with cli_database(args, directory) as db:
        previewed = preview(db, data)
        show(path, previewed)
        if args.dry_run:
            print("Dry run: nothing was changed.")
            return 0
        if not previewed.has_changes:
            print("Nothing to import; nothing was changed.")
            return 0
        result = commit(db, previewed)
    print(report(result))
    return 0


# ---- import-roster -----------------------------------------------------------------------


def _import_roster(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.services.roster_csv import (
        commit_roster_import,
        preview_roster_import,
        read_roster_file,
    )
    from peercircle.services.roster_csv_parsing import parse_roster

    return _run_import(
        args,
        directory,
        read=read_roster_file,
        parse=parse_roster,
        preview=lambda db, data: preview_roster_import(db, data, args.group),
        show=_print_preview,
        commit=commit_roster_import,
        report=_describe_roster_import,
    )


def _describe_roster_import(result: ImportResult) -> str:
    created = " (a new group)" if result.group_created else ""
    return f"Imported into “{result.group_name}”{created}."


def _print_preview(path: Path, preview: ImportPreview) -> None:
    from peercircle.services.roster_csv import ImportAction

    print(f"Read {path.name} ({preview.encoding}, {preview.delimiter_name}-separated).")
    used = ", ".join(f"{heading} → {fld}" for heading, fld in preview.column_mapping.items())
    print(f"Columns used: {used}")
    if preview.ignored_columns:
        print(f"Ignored columns: {', '.join(preview.ignored_columns)}")
    new = " (new; it will be created)" if preview.creates_group else ""
    print(f"Group: {preview.group_name}{new}")
    print(f"Added: {preview.added}")
    print(f"Updated: {preview.updated}")
    print(f"Unchanged: {preview.unchanged}")
    print(f"Rejected: {preview.rejected}")
    for row in preview.rows:
        if row.action is ImportAction.REJECT:
            who = f" ({row.display_name})" if row.display_name else ""
            print(f"  row {row.row_number}{who}: {row.reason}")


# ---- import-attendance -------------------------------------------------------------------


def _import_attendance(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.services.attendance_csv_parsing import parse_attendance
    from peercircle.services.attendance_import import (
        commit_attendance_import,
        preview_attendance_import,
        read_attendance_file,
    )
    from peercircle.services.attendance_import_types import AttendanceImportResult

    return _run_import(
        args,
        directory,
        read=read_attendance_file,
        parse=parse_attendance,
        preview=lambda db, data: preview_attendance_import(
            db, data, args.group, add_unknown=args.add_unknown
        ),
        show=_show_attendance_preview,
        commit=commit_attendance_import,
        report=AttendanceImportResult.describe,
    )


def _show_attendance_preview(path: Path, preview: AttendancePreview) -> None:
    """Print the preview; refuse (CliError) a file with problems, even for a dry run."""
    from peercircle.services.attendance_import_types import plural

    _print_attendance_preview(path, preview)
    if preview.problems:
        hint = ""
        if preview.unknown_names and not preview.add_unknown:
            hint = " To add the unknown names as new members, run again with --add-unknown."
        raise CliError(
            f"Nothing was imported: {plural(len(preview.problems), 'problem')} in the file "
            f"(listed above).{hint}"
        )


def _print_attendance_preview(path: Path, preview: AttendancePreview) -> None:
    print(
        f"Read {path.name} ({preview.encoding}, {preview.delimiter_name}-separated): "
        f"{preview.format.label}."
    )
    print(f"Group: {preview.group_name}")
    dates = preview.dates
    if not dates:
        print("Dates: none")
    elif len(dates) == 1:
        print(f"Dates: 1, {dates[0].isoformat()}")
    else:
        print(f"Dates: {len(dates)}, from {dates[0].isoformat()} to {dates[-1].isoformat()}")
    if preview.ignored_columns:
        print(f"Ignored columns: {', '.join(preview.ignored_columns)}")
    print(f"Meetings to create: {preview.meetings_created}")
    print(f"Marks to add: {preview.marks_added}")
    print(f"Marks to change: {preview.marks_changed}")
    print(f"Marks unchanged: {preview.marks_unchanged}")
    if preview.new_members:
        print(f"New members: {', '.join(preview.new_member_names)}")
    if preview.problems:
        print(f"Problems: {len(preview.problems)}")
        for problem in preview.problems:
            print(f"  {problem.location}: {problem.message}")


# ---- export-roster -----------------------------------------------------------------------


def _export_roster(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.services.roster import RosterService
    from peercircle.services.roster_csv import export_roster_csv

    output: Path = args.output
    with cli_database(args, directory) as db:
        group_id = None
        if args.group is not None:
            group_id = _group_named(RosterService(db), args.group).id
        try:
            count = export_roster_csv(db, group_id, output)
        except OSError as exc:
            raise CliError(f"Could not write {output}: {exc.strerror or exc}.") from exc
    print(f"Wrote {count} member{'s' if count != 1 else ''} to {output}.")
    return 0


def _group_named(roster: RosterService, name: str) -> GroupInfo:
    group = roster.find_group(name)
    if group is None:
        names = ", ".join(f"“{g.name}”" for g in roster.list_groups()) or "none yet"
        raise CliError(f"There is no group called “{name}” (groups: {names}).")
    return group


# ---- pdf ---------------------------------------------------------------------------------


def _pdf(args: argparse.Namespace, directory: Path) -> int:
    import datetime as dt

    from peercircle.pdf.page import PaperSize, PdfWriteError, default_paper_size
    from peercircle.services.printing import PrintService, write_printout
    from peercircle.services.roster import RosterService

    output: Path = args.output
    paper = PaperSize(args.paper) if args.paper else default_paper_size()
    with cli_database(args, directory) as db:
        group = _group_named(RosterService(db), args.group)
        printing = PrintService(db)
        try:
            if args.document == "sign-in":
                printout: Printout = printing.sign_in_sheet(
                    group.id, args.date, initials_only=args.initials, paper=paper
                )
            elif args.document == "attendance":
                printout = printing.attendance_report(
                    group.id, args.date_from, args.date_to, paper=paper
                )
            elif args.document == "handout":
                printout = printing.handout(group.id, paper=paper)
            else:
                printout = printing.agreements_card(group.id, paper=paper)
            pages = write_printout(printout, output, generated_on=dt.date.today())
        except (ValueError, PdfWriteError) as exc:  # an empty report, no agreements, a bad path
            raise CliError(str(exc)) from exc
    print(f"Wrote {pages} page{'s' if pages != 1 else ''} to {output}.")
    return 0


def _iso_date(text: str) -> object:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-24, not {text!r}") from None


# ---- demo-data ---------------------------------------------------------------------------


def _demo_data(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.services.demo_data import create_demo_data

    with cli_database(args, directory) as db:
        summary = create_demo_data(db, members=args.members)
    print(
        f"Added {len(summary.group_ids)} sample groups and {summary.member_count} invented "
        f"members, with {summary.meeting_count} meetings, {summary.round_count} sharing "
        f"rounds and {summary.resource_count} resources. Everyone and everything in them is "
        "fictional."
    )
    # Only the passphrase: the sample vault's recovery code is never shown. It would be a
    # second key left in the terminal for notes that are invented anyway; a facilitator who
    # keeps this vault for real notes changes the passphrase and makes their own code.
    if summary.vault is None:
        print("Your private notes were already set up, so no sample notes were added.")
    else:
        print(f"Sample private notes are locked with the passphrase: {summary.vault.passphrase}")
        print(
            "Change it (Private → Change Passphrase…) and make your own recovery code "
            "(Private → New Recovery Code…) before writing real notes."
        )
    return 0
