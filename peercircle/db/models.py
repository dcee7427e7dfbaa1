"""SQLAlchemy 2 typed models for groups, members and memberships."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
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
    FULL_NAME_MAX,
    GROUP_NAME_MAX,
    PHONE_MAX,
    PLACE_MAX,
    PRONOUNS_MAX,
    MemberStatus,
    Role,
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
