"""Plain-SQL inserts for the live path, whose every note writes two rows.

Building an ``INSERT`` through the ORM's compiler cost more CPU than PostgreSQL spent
running it (docs/benchmarks.md, profile). Here the statement is built once per model from
its fields (``cafes.sql.insert``), and each insert only converts the values, with the same
field methods the ORM uses (``pre_save`` sets ``auto_now_add`` times, ``get_db_prep_save``
adapts JSON and UUIDs), so a field added to the model is written here too.

These inserts skip ``full_clean``: the services that call them have checked every value a
client sent (``cafes.checks``) and set the rest themselves.
"""

from django.db import connection
from django.db.models import Model

from cafes import sql


def insert(
    obj: Model, *, unless_exists: tuple[str, ...] = (), refresh: tuple[str, ...] = ()
) -> bool:
    """Insert ``obj`` and set its primary key. With ``unless_exists`` (the fields of a
    unique constraint), a row that already has those values is left alone and nothing is
    inserted: then ``False``; or, with ``refresh``, that row's ``refresh`` fields are set
    from ``obj`` instead (an upsert, then always ``True``)."""
    statement, fields = sql.insert(type(obj), unless_exists, refresh)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return True
