"""Every plain-SQL statement of the café, in one place.

The live path runs these instead of ORM queries where building the query cost more CPU than
PostgreSQL spent running it (docs/benchmarks.md): inserting a note and its live update
(``cafes.rows``), the row locks that order the live log (``cafes.ordering``), and who sits
where (``cafes.selectors``). Each statement is built once, from the models' own table
names (``Model._meta.db_table``, quoted); values are always parameters (``%s``), never
formatted into the text. Row locks (``FOR SHARE``, ``FOR UPDATE``) are PostgreSQL's only:
SQLite runs one write transaction at a time, so there is nothing to lock.
"""

from functools import cache, lru_cache

from django.db import connection
from django.db.models import Field, Model

from cafes.models import Cafe, LiveUpdate, Presence, Round, Seat, SeatHosting, Table
from events.models import Participant


def _name(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _on_postgresql(clause: str) -> str:
    return f" {clause}" if connection.vendor == "postgresql" else ""


@cache
def insert(
    model: type[Model], unless: tuple[str, ...], refresh: tuple[str, ...]
) -> tuple[str, list[Field]]:
    """``INSERT`` of every concrete field but the primary key, returning the new key; with
    ``unless`` (a unique constraint's fields), nothing on conflict, or with ``refresh``, an
    update of those fields. The fields, in the order of the statement's parameters."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    conflict = ""
    if unless:
        keys = ", ".join(quote(meta.get_field(name).column) for name in unless)
        action = "NOTHING"
        if refresh:
            columns_to_set = (quote(meta.get_field(name).column) for name in refresh)
            action = "UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns_to_set)
        conflict = f" ON CONFLICT ({keys}) DO {action}"
    # Only the model's own table and column names, quoted: no value is ever formatted in.
    table, pk = _name(model), quote(meta.pk.column)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}){conflict} RETURNING {pk}"  # noqa: S608
    return sql, fields


@cache
def newest_for_table() -> str:
    """The newest update of a table, and of the event's own news, before a given id (params:
    table id, id, event id, id): two index lookups (``LiveUpdate.Meta.indexes``). Plain SQL:
    it runs for every note and heartbeat, and building it through the ORM cost more than
    running it (docs/benchmarks.md)."""
    log = _name(LiveUpdate)
    return (
        f"SELECT (SELECT id FROM {log} WHERE table_id = %s AND id < %s ORDER BY id DESC LIMIT 1),"  # noqa: S608
        f" (SELECT id FROM {log} WHERE event_id = %s AND table_id IS NULL AND id < %s"
        " ORDER BY id DESC LIMIT 1)"
    )


@cache
def shared_cafe() -> str:
    """The café row of an event (params: event id), shared on PostgreSQL."""
    return f"SELECT * FROM {_name(Cafe)} WHERE event_id = %s" + _on_postgresql("FOR SHARE")  # noqa: S608


@cache
def shared_current_round() -> str:
    """PostgreSQL: the current round of an event (params: event id), its café row shared."""
    return (
        f"SELECT r.* FROM {_name(Cafe)} c JOIN {_name(Round)} r ON r.id = c.current_round_id"  # noqa: S608
        " WHERE c.event_id = %s FOR SHARE OF c"
    )


@cache
def locked_seat_table() -> str:
    """The table someone sits at in a round (params: round id, participant id), its row held
    on PostgreSQL."""
    return (
        f"SELECT t.* FROM {_name(Table)} t JOIN {_name(Seat)} s ON s.table_id = t.id"  # noqa: S608
        " WHERE s.round_id = %s AND s.participant_id = %s" + _on_postgresql("FOR UPDATE OF t")
    )


@cache
def shared_table() -> str:
    """PostgreSQL: share a table's row (params: table id)."""
    return f"SELECT 1 FROM {_name(Table)} WHERE id = %s FOR SHARE"  # noqa: S608


@lru_cache(maxsize=64)
def seated(table_count: int | None) -> str:
    """The people seated in a round, with whether each keeps the table and has a live
    connection (params: the oldest heartbeat that counts, the round id, then ``table_count``
    table ids; ``None``: at every table)."""
    at_tables = ""
    if table_count is not None:
        # One placeholder per id (never the ids themselves in the SQL text).
        at_tables = f"AND s.table_id IN ({', '.join(['%s'] * table_count)})"
    return f"""
SELECT s.table_id, s.participant_id, p.pseudonym, p.role_code,
  EXISTS (SELECT 1 FROM {_name(SeatHosting)} h WHERE h.seat_id = s.id),
  EXISTS (SELECT 1 FROM {_name(Presence)} pr
    WHERE pr.participant_id = s.participant_id AND pr.seen_at >= %s)
FROM {_name(Seat)} s JOIN {_name(Participant)} p ON p.id = s.participant_id
WHERE s.round_id = %s {at_tables}
ORDER BY s.id
"""  # noqa: S608
