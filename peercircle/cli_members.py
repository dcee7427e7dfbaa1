"""The member data commands: ``peercircle export-member`` and ``peercircle erase-member``.

Imported by ``cli.build_parser``, so nothing here imports SQLAlchemy, the PDF library or the
services at module level: each command imports what it needs when it runs. No Qt here.
Private notes never leave the vault from the command line (it has no passphrase to ask for).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from peercircle.cli_support import CliError, cli_database

if TYPE_CHECKING:
    from peercircle.db import Database
    from peercircle.services.erasure import ErasureCounts
    from peercircle.services.roster_types import MemberRow

NO_PRIVATE_NOTES = (
    "Private notes and the text of follow-ups are never included from the command line; "
    "to include them, export from the app (Edit → Export Member…) with your notes unlocked."
)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export-member",
        help="write everything stored about one member to a JSON file (and a PDF)",
        description="Write everything PeerCircle stores about one member — their details, "
        "groups, attendance, the timings of their turns in rounds and when their follow-ups "
        "were due — to a JSON file, and with --pdf to a readable PDF too, for them to have. "
        f"{NO_PRIVATE_NOTES} The files are readable by you only.",
    )
    _add_member_arguments(export)
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE", type=Path, help="JSON file to write"
    )
    export.add_argument(
        "--pdf", metavar="FILE", type=Path, help="also write a readable PDF to FILE"
    )
    export.set_defaults(run=_export_member)

    erase = commands.add_parser(
        "erase-member",
        help="erase one member and everything about them (cannot be undone)",
        description="Erase one member and everything PeerCircle holds about them: their "
        "details, group places, attendance, private notes about them and follow-ups with "
        "them. Their turns in sharing rounds stay in the rounds' timings without their name. "
        "This cannot be undone. Older backups still hold them until newer ones replace them; "
        "restoring one erases them again.",
    )
    _add_member_arguments(erase)
    erase.add_argument(
        "--yes", action="store_true", help="really erase them (required: it cannot be undone)"
    )
    erase.set_defaults(run=_erase_member)


def _add_member_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", metavar="NAME", help="the member's name (or full name)")
    who.add_argument("--member-id", metavar="N", type=int, help="the member's id")


def find_member(db: Database, name: str | None, member_id: int | None) -> MemberRow:
    """The member asked for, archived or not; CliError if there is none, or several."""
    from peercircle.services.roster import NotFoundError, RosterService

    roster = RosterService(db)
    if member_id is not None:
        try:
            return roster.get_member(member_id)
        except NotFoundError:
            raise CliError(f"There is no member with id {member_id}.") from None
    wanted = (name or "").strip().casefold()
    matches = [
        m
        for m in roster.list_members(include_archived=True)
        if wanted in (m.display_name.strip().casefold(), m.full_name.strip().casefold())
    ]
    if not matches:
        raise CliError(f"There is no member called “{name}”.")
    if len(matches) > 1:
        listed = "; ".join(
            f"{m.display_name} (id {m.id}{', ' if m.groups else ''}{', '.join(m.groups)})"
            for m in matches
        )
        raise CliError(
            f"{len(matches)} members are called “{name}”: {listed}. Choose one with --member-id."
        )
    return matches[0]


def _export_member(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.services.member_export import ExportError, gather, write_member_export

    output: Path = args.output
    pdf: Path | None = args.pdf
    with cli_database(args, directory) as db:
        member = find_member(db, args.member, args.member_id)
        export = gather(db, member.id, notes=None, follow_ups=None)
        try:
            write_member_export(export, output, pdf)
        except ExportError as exc:
            raise CliError(str(exc)) from exc
    files = f"{output} and {pdf}" if pdf is not None else str(output)
    print(f"Wrote everything stored about {member.display_name} to {files}.")
    print(NO_PRIVATE_NOTES)
    return 0


def _describe(counts: ErasureCounts) -> str:
    from peercircle.services.attendance_import_types import plural

    parts = ["their details"]
    for count, noun in (
        (counts.memberships, "group place"),
        (counts.attendance, "attendance mark"),
        (counts.notes, "private note"),
        (counts.follow_ups, "follow-up"),
        (counts.handled_suggestions, "handled check-in suggestion"),
    ):
        if count:
            parts.append(plural(count, noun))
    if counts.meetings_facilitated:
        parts.append(
            f"their name as facilitator of {plural(counts.meetings_facilitated, 'meeting')}"
        )
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _erase_member(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.services.erasure import ErasureService

    with cli_database(args, directory) as db:
        member = find_member(db, args.member, args.member_id)
        erasure = ErasureService(db, db.path.parent if db.path is not None else None)
        who = f"{member.display_name} (id {member.id})"
        if not args.yes:
            print(f"Erasing {who} would remove {_describe(erasure.counts(member.id))}.")
            raise CliError(
                f"Nothing was erased: erasing {who} cannot be undone. "
                "Run again with --yes to erase them."
            )
        report = erasure.erase_member(member.id, expected_version=member.version)
    print(f"Erased {who}: removed {_describe(report.counts)}.")
    if report.counts.round_turns:
        print(
            f"Their turns in sharing rounds ({report.counts.round_turns}) stay in the rounds' "
            "timings, without their name."
        )
    print(
        "Older backups still hold them until newer ones replace them; restoring one erases "
        "them again."
    )
    if report.log_problem:
        print(f"{report.log_problem} The erasure is still recorded in PeerCircle's data.")
    return 0
