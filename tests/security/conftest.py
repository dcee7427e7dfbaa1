"""Fixtures for the privacy and crash tests: a vault with fast key derivation, a small group
with notes and follow-ups in it, and the app log pointed at the test's data folder."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from security_helpers import FAST_KDF, PASSPHRASE, Circle

from peercircle.db import Database
from peercircle.logs import configure_logging
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft
from peercircle.services.vault import VaultService

TODAY = dt.date(2025, 3, 11)


@pytest.fixture
def vault(db: Database) -> VaultService:
    """A vault on the test database, not set up yet."""
    return VaultService(db, kdf_params=FAST_KDF)


@pytest.fixture
def app_log(data_dir: Path) -> Iterator[Path]:
    """The app log written to ``data_dir/logs``; put back as it was afterwards."""
    logger = logging.getLogger("peercircle")
    handlers, level = list(logger.handlers), logger.level
    path = configure_logging(data_dir)
    assert path is not None
    yield path
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


@pytest.fixture
def circle(db: Database, vault: VaultService) -> Circle:
    roster = RosterService(db)
    group_id = roster.create_group(GroupDraft("Thursday Circle", 3)).id
    olga = roster.create_member(MemberDraft("Ольга"), group_id=group_id).id
    nguyen = roster.create_member(MemberDraft("Nguyễn"), group_id=group_id).id
    code = vault.set_up(PASSPHRASE)
    notes = NoteService(db, vault)
    follow_ups = FollowUpService(db, vault)
    first = notes.create(NoteDraft(group_id, "First evening", "Quiet start.", ("calm",)))
    second = notes.create(
        NoteDraft(group_id, "Ágnes came back", "Talked about sleep.", ("sleep",), member_id=olga)
    )
    third = notes.create(NoteDraft(group_id, "Nguyễn", "Asked about the handout.", ()))
    call = follow_ups.create(FollowUpDraft(olga, TODAY, "Ask how the week went", group_id))
    done = follow_ups.create(FollowUpDraft(nguyen, TODAY, "Bring the handout", group_id))
    done = follow_ups.complete(done.id, "Gave it to them after the meeting", done.version)
    return Circle(
        vault=vault,
        notes=notes,
        follow_ups=follow_ups,
        recovery_code=code,
        group_id=group_id,
        member_ids=(olga, nguyen),
        note_ids=(first.id, second.id, third.id),
        follow_up_ids=(call.id, done.id),
    )
