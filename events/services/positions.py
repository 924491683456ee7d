"""Positions of an event's ordered items (agenda blocks, closing questions): always 1..n,
so moving one is a swap of neighbours."""

from django.db import models
from django.db.models import Max

from events.errors import EventsError
from events.models import AgendaSegment, ClosingQuestion
from events.services.checks import check_editable

PlanItem = AgendaSegment | ClosingQuestion


def _next_position(queryset: models.QuerySet) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def _renumber(queryset: models.QuerySet) -> None:
    """Positions 1..n in the current order, so moving is always a swap of neighbours."""
    for position, item in enumerate(queryset.order_by("position", "id"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _move(item: models.Model, siblings: models.QuerySet, offset: int) -> None:
    if offset not in (-1, 1):
        raise EventsError("An item moves one place up or down at a time.")
    _renumber(siblings)
    ordered = list(siblings.order_by("position", "id"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def _siblings(item: PlanItem) -> models.QuerySet:
    """The items of the same kind in the same event's plan (its agenda, or its questions)."""
    return type(item).objects.filter(event_id=item.event_id)


def _move_in_plan(item: PlanItem, offset: int) -> None:
    check_editable(item.event)
    _move(item, _siblings(item), offset)


def _delete_from_plan(item: PlanItem) -> None:
    check_editable(item.event)
    item.delete()
    _renumber(_siblings(item))
