"""One small query shared by the services: a column's values for a set of row ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

_V = TypeVar("_V")


def values_by_id(
    s: Session,
    id_column: InstrumentedAttribute[int],
    value_column: InstrumentedAttribute[_V],
    ids: Iterable[int | None],
) -> dict[int, _V]:
    """``{id: value}`` for the given ids (None ignored), e.g. members' names by id."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = s.execute(select(id_column, value_column).where(id_column.in_(wanted)))
    return {row_id: value for row_id, value in rows}
