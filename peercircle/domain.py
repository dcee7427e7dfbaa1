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


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ALUMNI = "alumni"


class Role(enum.StrEnum):
    MEMBER = "member"
    CO_FACILITATOR = "co_facilitator"
