"""SQLAlchemy 2 typed models: groups, members, memberships, meetings, attendance, rounds,
the resource library, and the private notes vault (notes and follow-ups)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from peercircle.domain import (  # re-exported: the models' column limits and enums
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    EMERGENCY_CONTACT_MAX,
    FACILITATOR_MAX,
    FULL_NAME_MAX,
    GROUP_NAME_MAX,
    PHONE_MAX,
    PLACE_MAX,
    PRONOUNS_MAX,
    RESOURCE_ADDRESS_MAX,
    RESOURCE_TAGS_MAX,
    RESOURCE_TITLE_MAX,
    RESOURCE_URL_MAX,
    TOPIC_MAX,
    AttendanceStatus,
    FollowUpSource,
    KeySlotKind,
    MemberStatus,
    ResourceKind,
    Role,
    RoundOrder,
    SuggestionKind,
    TimeMode,
)

# Stable constraint names so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _str_enum(enum_class: type[enum.StrEnum], name: str | None = None) -> Enum:
    """A portable enum column storing the members' values (checked, not a native type)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        length=16,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


class Group(Base):
    """A circle that meets regularly."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(GROUP_NAME_MAX))
    # 0 = Monday … 6 = Sunday, as in ``datetime.date.weekday()``.
    meeting_weekday: Mapped[int | None] = mapped_column(Integer)
    meeting_time: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    agreements: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(
            "meeting_weekday IS NULL OR (meeting_weekday BETWEEN 0 AND 6)", name="weekday"
        ),
    )
    __mapper_args__ = {"version_id_col": version}


class Member(Base):
    """A person who comes to one or more groups."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX), index=True)
    full_name: Mapped[str] = mapped_column(String(FULL_NAME_MAX), default="")
    pronouns: Mapped[str] = mapped_column(String(PRONOUNS_MAX), default="")
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), default="")
    phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    emergency_contact: Mapped[str] = mapped_column(String(EMERGENCY_CONTACT_MAX), default="")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    first_visit_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[MemberStatus] = mapped_column(
        Enum(
            MemberStatus,
            native_enum=False,
            length=16,
            validate_strings=True,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=MemberStatus.ACTIVE,
    )
    may_contact: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="member", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


class Membership(Base):
    """A member's place in a group: their role and where they sit in the circle."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            native_enum=False,
            length=16,
            validate_strings=True,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=Role.MEMBER,
    )
    seat_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    group: Mapped[Group] = relationship(back_populates="memberships")
    member: Mapped[Member] = relationship(back_populates="memberships")

    __table_args__ = (UniqueConstraint("group_id", "member_id"),)


class Meeting(Base):
    """One gathering of a group on one day."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[dt.time | None] = mapped_column(Time)
    ends_at: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    topic: Mapped[str] = mapped_column(String(TOPIC_MAX), default="")
    facilitator: Mapped[str] = mapped_column(String(FACILITATOR_MAX), default="")
    # Anonymous guests are counted, never named.
    guest_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_meetings_group_date", "group_id", "date"),
        CheckConstraint("guest_count >= 0", name="guests"),
    )
    __mapper_args__ = {"version_id_col": version}


class Attendance(Base):
    """How one member was at one meeting. No row means “not marked yet”."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(_str_enum(AttendanceStatus))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")

    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)


class Round(Base):
    """A sharing round held at a meeting: its settings and how long it ran."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    order_mode: Mapped[RoundOrder] = mapped_column(_str_enum(RoundOrder))
    time_mode: Mapped[TimeMode] = mapped_column(_str_enum(TimeMode))
    # Seconds per speaker (per-speaker mode) or for the whole round (budget mode).
    time_seconds: Mapped[int] = mapped_column(Integer)
    warning_seconds: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    elapsed_seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    turns: Mapped[list[RoundTurn]] = relationship(
        back_populates="round",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RoundTurn.position",
    )


class RoundTurn(Base):
    """One turn in a round's log: who, when, how long, passed, “check in later”.

    Never what was said. ``member_id`` is empty for an anonymous guest.
    """

    __tablename__ = "round_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # Seconds from the start of the round (pauses included) to the start and end of the turn.
    start_offset: Mapped[float] = mapped_column(Float)
    end_offset: Mapped[float] = mapped_column(Float)
    # Speaking time: the turn's span less any pause within it.
    duration_seconds: Mapped[float] = mapped_column(Float)
    allotted_seconds: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    check_in_later: Mapped[bool] = mapped_column(Boolean, default=False)
    # A second turn for someone who passed, offered at the end of the round.
    came_back: Mapped[bool] = mapped_column(Boolean, default=False)

    round: Mapped[Round] = relationship(back_populates="turns")

    __table_args__ = (UniqueConstraint("round_id", "position"),)


class Resource(Base):
    """Something a facilitator hands out: a helpline, a local service, a reading, a
    worksheet or a website. ``tags`` is a short comma-separated list (“sleep, carers”)."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(RESOURCE_TITLE_MAX))
    kind: Mapped[ResourceKind] = mapped_column(_str_enum(ResourceKind))
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    url: Mapped[str] = mapped_column(String(RESOURCE_URL_MAX), default="")
    address: Mapped[str] = mapped_column(String(RESOURCE_ADDRESS_MAX), default="")
    tags: Mapped[str] = mapped_column(String(RESOURCE_TAGS_MAX), default="")
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class GroupResource(Base):
    """A resource chosen for a group's handout, at ``position`` in the handout's order."""

    __tablename__ = "group_resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("group_id", "resource_id"),)


class VaultKeySlot(Base):
    """One wrapped copy of the notes data key: by the passphrase, or by the recovery code.

    Nothing here is secret without the passphrase or code: the Argon2id salt and cost, and
    the data key encrypted with the key derived from them. ``checksum`` (SHA-256 of the
    rest) tells a damaged slot from a wrong passphrase.
    """

    __tablename__ = "vault_key_slots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[KeySlotKind] = mapped_column(_str_enum(KeySlotKind), unique=True)
    format_version: Mapped[int] = mapped_column(Integer)
    kdf: Mapped[str] = mapped_column(String(16))
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    memory_kib: Mapped[int] = mapped_column(Integer)
    iterations: Mapped[int] = mapped_column(Integer)
    lanes: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    checksum: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class Note(Base):
    """A private note about a meeting and/or a member of a group.

    Title, body and tags are AES-256-GCM blobs (see ``services/vault_crypto.py``), bound to
    this row's id and their field. Only the dates and links are plain.
    """

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # A deleted meeting leaves its notes with the group rather than losing them.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[bytes] = mapped_column(LargeBinary)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    tags: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class FollowUp(Base):
    """“Check in with Sam by Friday”: who, by when, why (encrypted), and how it went
    (encrypted, once done)."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[FollowUpSource] = mapped_column(_str_enum(FollowUpSource))
    due_date: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[bytes] = mapped_column(LargeBinary)
    outcome: Mapped[bytes | None] = mapped_column(LargeBinary)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class HandledSuggestion(Base):
    """A follow-up suggestion the facilitator accepted or dismissed, so it is not offered
    again. ``anchor_id`` names the occasion: the first missed meeting of a run of absences,
    or the flagged round turn."""

    __tablename__ = "handled_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[SuggestionKind] = mapped_column(_str_enum(SuggestionKind))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    anchor_id: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[bool] = mapped_column(Boolean)
    handled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    __table_args__ = (UniqueConstraint("kind", "group_id", "member_id", "anchor_id"),)


class Erasure(Base):
    """A member erased at their request (GDPR article 17): only the id they had and when.

    Restoring an older backup erases them again from this log. No foreign key: the member
    row is gone, and the id may be reused by someone added later.
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(Integer)
    erased_at: Mapped[dt.datetime] = mapped_column(DateTime)
