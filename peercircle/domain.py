"""Plain values shared by every layer: member statuses, roles and field limits.

No SQLAlchemy and no Qt here, so the window can import these before the database
layer has loaded (start-up paints first, then loads the data).
"""

from __future__ import annotations

import enum

DISPLAY_NAME_MAX = 80
FULL_NAME_MAX = 160
GROUP_NAME_MAX = 80
PRONOUNS_MAX = 40
EMAIL_MAX = 254
PHONE_MAX = 40
PLACE_MAX = 200
EMERGENCY_CONTACT_MAX = 200
AGREEMENTS_MAX = 10_000
TOPIC_MAX = 200
FACILITATOR_MAX = 120
GUESTS_MAX = 999
RESOURCE_TITLE_MAX = 120
RESOURCE_DESCRIPTION_MAX = 2_000
RESOURCE_URL_MAX = 500
RESOURCE_ADDRESS_MAX = 300
RESOURCE_TAGS_MAX = 200
# Private notes and follow-ups: limits on the text before it is encrypted.
NOTE_TITLE_MAX = 200
NOTE_BODY_MAX = 20_000
NOTE_TAGS_MAX = 200
FOLLOW_UP_REASON_MAX = 300
FOLLOW_UP_OUTCOME_MAX = 1_000


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ALUMNI = "alumni"


class Role(enum.StrEnum):
    MEMBER = "member"
    CO_FACILITATOR = "co_facilitator"


class AttendanceStatus(enum.StrEnum):
    """How a member was at a meeting. No record at all means “not marked yet”."""

    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def attended(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class RoundOrder(enum.StrEnum):
    """Who speaks when in a sharing round."""

    SEATED = "seated"
    RANDOM = "random"
    VOLUNTEER = "volunteer"
    LEAST_HEARD = "least_heard"


class TimeMode(enum.StrEnum):
    """A fixed time for each speaker, or one budget for the round split evenly."""

    PER_SPEAKER = "per_speaker"
    BUDGET = "budget"


class ResourceKind(enum.StrEnum):
    """What a handout resource is: someone to call or visit, or something to read or use."""

    HELPLINE = "helpline"
    LOCAL_SERVICE = "local_service"
    READING = "reading"
    WORKSHEET = "worksheet"
    WEBSITE = "website"


class KeySlotKind(enum.StrEnum):
    """What unlocks a copy of the notes key: the facilitator's passphrase or the recovery code."""

    PASSPHRASE = "passphrase"
    RECOVERY = "recovery"


class FollowUpSource(enum.StrEnum):
    """Where a follow-up came from."""

    MEMBER = "member"
    NOTE = "note"
    ROUND = "round"
    ATTENDANCE = "attendance"


class SuggestionKind(enum.StrEnum):
    """Why PeerCircle suggests checking in with someone."""

    MISSED_MEETINGS = "missed_meetings"
    ROUND_FLAG = "round_flag"
