"""Channel-layer group names, built in one place so senders and listeners always agree."""


def group_name(scope: str, pk: int) -> str:
    """``event`` (everyone at the event), ``table`` (one table's seats) or ``staff``
    (everyone watching all tables of an event)."""
    if scope not in {"event", "table", "staff"}:
        raise ValueError(f"unknown group scope {scope!r}")
    return f"cafe.{scope}.{int(pk)}"
