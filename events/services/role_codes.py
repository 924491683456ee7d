"""An event's role codes, and attendance recorded for an event run without joining here."""

from django.db import transaction

from events.errors import EventsError
from events.models import Event, RecordedAttendance, RoleCode
from events.services.checks import _validate, check_plain_text, check_role_code


@transaction.atomic
def add_role_code(*, event: Event, code: str, label: str) -> RoleCode:
    code = check_role_code(code)
    label = check_plain_text(label, field="label", label="The label")
    if event.role_codes.filter(code=code).exists():
        raise EventsError({"code": f"This event already has the role code {code}."})
    role_code = RoleCode(event=event, code=code, label=label)
    _validate(role_code)
    role_code.save()
    return role_code


@transaction.atomic
def remove_role_code(*, role_code: RoleCode) -> None:
    """Remove a role code nobody has chosen yet (words already attributed keep theirs)."""
    in_use = role_code.event.participants.filter(role_code=role_code.code).count()
    if in_use:
        raise EventsError(
            f"{in_use} participant(s) chose {role_code.code}, so it can't be removed."
        )
    role_code.delete()


@transaction.atomic
def relabel_role_code(*, role_code: RoleCode, label: str) -> RoleCode:
    """Give a role code another label (words attributed to the code keep it)."""
    role_code.label = check_plain_text(label, field="label", label="The label")
    _validate(role_code)
    role_code.save(update_fields=["label"])
    return role_code


@transaction.atomic
def record_attendance(*, event: Event, role_code: str, count: int) -> RecordedAttendance:
    """Record how many people of a role took part in an event run without joining here (on
    paper, on another board); it replaces the number recorded before. ``role_code`` "" is
    for people who preferred not to say. The report counts these while nobody has joined."""
    code = check_role_code(role_code, field="role_code") if role_code else ""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise EventsError({"count": "The number of people must be a whole number from 0."})
    recorded, _ = RecordedAttendance.objects.update_or_create(
        event=event, role_code=code, defaults={"count": count}
    )
    return recorded
