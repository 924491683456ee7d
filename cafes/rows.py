"""Plain-SQL inserts for the live path, whose every note writes two rows.

Building an ``INSERT`` through the ORM's compiler cost more CPU than PostgreSQL spent
running it (docs/benchmarks.md, profile). Here the statement is built once per model from
its fields, and each insert only converts the values, with the same field methods the ORM
uses (``pre_save`` sets ``auto_now_add`` times, ``get_db_prep_save`` adapts JSON and
UUIDs), so a field added to the model is written here too.

These inserts skip ``full_clean``: the services that call them have checked every value a
client sent (``cafes.checks``) and set the rest themselves.
"""

from functools import cache

from django.db import connection
from django.db.models import Field, Model


@cache
def _insert_sql(
    model: type[Model], unless: tuple[str, ...], refresh: tuple[str, ...]
) -> tuple[str, list[Field]]:
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
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}){conflict} RETURNING {pk}"  # noqa: S608
    return sql, fields


def insert(
    obj: Model, *, unless_exists: tuple[str, ...] = (), refresh: tuple[str, ...] = ()
) -> bool:
    """Insert ``obj`` and set its primary key. With ``unless_exists`` (the fields of a
    unique constraint), a row that already has those values is left alone and nothing is
    inserted: then ``False``; or, with ``refresh``, that row's ``refresh`` fields are set
    from ``obj`` instead (an upsert, then always ``True``)."""
    sql, fields = _insert_sql(type(obj), unless_exists, refresh)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return True
