"""Series and their stakeholder groups."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from events.errors import EventsError
from events.models import Series, StaffRole, StakeholderGroup
from events.services.checks import (
    _check_slug_free,
    _unique_slug,
    _validate,
    check_plain_text,
    check_role_code,
)
from events.services.staff import grant_role


@transaction.atomic
def create_series(
    *,
    title: str,
    slug: str = "",
    description: str = "",
    stakeholder_groups: Iterable[tuple[str, Iterable[tuple[str, str]]]] = (),
    created_by: AbstractBaseUser | None = None,
) -> Series:
    """Create a series with its stakeholder groups; its creator becomes its facilitator."""
    title = check_plain_text(title, field="title", label="The title")
    if slug:
        _check_slug_free(Series, slug)
    else:
        slug = _unique_slug(Series, title)
    series = Series(title=title, slug=slug, description=description.strip())
    _validate(series)
    series.save()
    for name, role_codes in stakeholder_groups:
        add_stakeholder_group(series=series, name=name, role_codes=role_codes)
    if created_by is not None:
        grant_role(user=created_by, role=StaffRole.FACILITATOR, series=series)
    return series


@transaction.atomic
def update_series(*, series: Series, title: str, description: str = "") -> Series:
    series.title = check_plain_text(title, field="title", label="The title")
    series.description = description.strip()
    _validate(series)
    series.save()
    return series


@transaction.atomic
def add_stakeholder_group(
    *, series: Series, name: str, role_codes: Iterable[tuple[str, str]] = ()
) -> StakeholderGroup:
    name = check_plain_text(name, field="name", label="A group's name")
    if series.stakeholder_groups.filter(name__iexact=name).exists():
        raise EventsError({"name": f"This series already has a group called “{name}”."})
    pairs = []
    for code, label in role_codes:
        pairs.append(
            [
                check_role_code(code, field="role_codes"),
                check_plain_text(label, field="role_codes", label="A role's label"),
            ]
        )
    group = StakeholderGroup(series=series, name=name, default_role_codes=pairs)
    _validate(group)
    group.save()
    return group
