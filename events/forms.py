"""Forms of the events pages: they parse what people type; the rules live in ``services``."""

import zoneinfo
from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import (
    AgendaSegment,
    ClosingQuestion,
    Event,
    Participant,
    RoleCode,
    SegmentKind,
    Series,
    StaffRole,
    Stage,
    StakeholderGroup,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
COMMON_TIME_ZONES = ["Europe/London", "Europe/Dublin", "UTC"]
TIME_ZONES = COMMON_TIME_ZONES + sorted(zoneinfo.available_timezones() - set(COMMON_TIME_ZONES))

DEFAULT_GROUPS = """Birth parents and families: BP=Birth parent, BF=Wider birth family
Care-experienced young people: CEYP=Care-experienced young person, CEA=Care-experienced adult
Kinship, foster and adoptive carers: KC=Kinship carer, FC=Foster carer, AP=Adoptive parent
Social workers: SW=Social worker, SWM=Social work manager"""


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def on_clock(value: datetime | None, zone_name: str) -> datetime | None:
    """Read a time typed into a form as a time on the event's clock, not the server's."""
    if value is None:
        return None
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, zoneinfo.ZoneInfo(zone_name))


def clock_initial(value: datetime, zone_name: str) -> str:
    return value.astimezone(zoneinfo.ZoneInfo(zone_name)).strftime(DATETIME_FORMAT)


def web_address_field() -> forms.SlugField:
    """The slug of a series or an event, made from its title when left empty."""
    return forms.SlugField(
        label="Web address",
        max_length=80,
        required=False,
        help_text="Letters, numbers and dashes. Left empty, it is made from the title.",
    )


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=Series._meta.get_field("title").max_length)
    slug = web_address_field()
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    stakeholder_groups = forms.CharField(
        label="Stakeholder groups",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        initial=DEFAULT_GROUPS,
        help_text="One group a line: the group's name, a colon, then its role codes as "
        "CODE=Label separated by commas. Each Explore event is for one group.",
    )

    def clean_stakeholder_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        groups, problems = [], []
        for number, line in enumerate(self.cleaned_data["stakeholder_groups"].splitlines(), 1):
            if not line.strip():
                continue
            name, _, codes = line.partition(":")
            pairs = []
            for item in filter(None, (c.strip() for c in codes.split(","))):
                code, sep, label = item.partition("=")
                if not sep or not code.strip() or not label.strip():
                    problems.append(f"Line {number}: write each role code as CODE=Label.")
                    break
                pairs.append((code.strip(), label.strip()))
            if not name.strip():
                problems.append(f"Line {number}: the group needs a name before the colon.")
            groups.append((name.strip(), pairs))
        if problems:
            raise forms.ValidationError(problems)
        return groups


class EventForm(forms.Form):
    title = forms.CharField(max_length=Event._meta.get_field("title").max_length)
    slug = web_address_field()
    stage = forms.ChoiceField(choices=Stage.choices)
    stakeholder_group = forms.ModelChoiceField(
        queryset=StakeholderGroup.objects.none(),
        required=False,
        help_text="Who an Explore event is for. New events start with the group's role codes.",
    )
    starts_at = forms.DateTimeField(
        label="Starts", widget=LocalDateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=LocalDateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    timezone = forms.ChoiceField(
        label="Time zone", choices=[(z, z) for z in TIME_ZONES], initial="Europe/London"
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=5000, initial=30, help_text="More people go on the waitlist."
    )
    table_size = forms.IntegerField(label="People per table", min_value=2, max_value=12, initial=4)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown to people on the invitation and welcome page.",
    )
    context = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The part of the case for change presented at the start.",
    )

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_group"].queryset = series.stakeholder_groups.all()

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {
            "title": event.title,
            "slug": event.slug,
            "stage": event.stage,
            "stakeholder_group": event.stakeholder_group_id,
            "starts_at": clock_initial(event.starts_at, event.timezone),
            "ends_at": clock_initial(event.ends_at, event.timezone),
            "timezone": event.timezone,
            "capacity": event.capacity,
            "table_size": event.table_size,
            "description": event.description,
            "context": event.context,
        }

    def clean(self):
        data = super().clean()
        zone = data.get("timezone") or "Europe/London"
        for name in ("starts_at", "ends_at"):
            data[name] = on_clock(data.get(name), zone)
        return data


class DuplicateEventForm(forms.Form):
    stakeholder_group = forms.ModelChoiceField(
        queryset=StakeholderGroup.objects.none(),
        required=False,
        empty_label="No stakeholder group",
        label="For which stakeholder group?",
    )
    title = forms.CharField(max_length=Event._meta.get_field("title").max_length)
    starts_at = forms.DateTimeField(
        label="Starts", widget=LocalDateTimeInput(), input_formats=[DATETIME_FORMAT]
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["stakeholder_group"].queryset = event.series.stakeholder_groups.all()
        self.fields["starts_at"].help_text = f"On the {event.timezone} clock; it lasts as long."

    def clean(self):
        data = super().clean()
        data["starts_at"] = on_clock(data.get("starts_at"), self.event.timezone)
        return data


class SegmentForm(forms.Form):
    kind = forms.ChoiceField(label="What happens", choices=SegmentKind.choices)
    title = forms.CharField(max_length=AgendaSegment._meta.get_field("title").max_length)
    planned_minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=480)
    prompt = forms.CharField(
        label="Round prompt",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For café rounds: the question the tables discuss.",
    )

    @classmethod
    def initial_for(cls, segment: AgendaSegment) -> dict:
        return {
            "kind": segment.kind,
            "title": segment.title,
            "planned_minutes": segment.planned_minutes,
            "prompt": segment.prompt,
        }


class PromptForm(forms.Form):
    prompt = forms.CharField(label="Prompt", widget=forms.Textarea(attrs={"rows": 2}))


class ClosingQuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=ClosingQuestion._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleCodeForm(forms.Form):
    code = forms.CharField(max_length=6, help_text="1 to 6 letters, e.g. BP.")
    label = forms.CharField(max_length=RoleCode._meta.get_field("label").max_length)


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One a line, or paste from your email program (Name &lt;address&gt;; ...). "
        "Each person gets an email with their own join link and a calendar entry.",
    )


class MembershipForm(forms.Form):
    """Give a staff member, named by username, a role; ``cleaned_data["user"]`` is them."""

    username = forms.CharField(label="Staff member's username", max_length=150)
    role = forms.ChoiceField(choices=StaffRole.choices)

    def clean(self):
        data = super().clean()
        if "username" in data:
            data["user"] = get_user_model().objects.filter(username=data["username"]).first()
            if data["user"] is None:
                self.add_error("username", "No staff member has this username.")
        return data


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Event code",
        max_length=12,
        help_text="6 letters and numbers, from your invitation or the organisers.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class JoinForm(forms.Form):
    pseudonym = forms.CharField(
        label="The name others will see",
        max_length=Participant._meta.get_field("pseudonym").max_length,
        help_text="A first name or a made-up name. Please not your full name.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    role_code = forms.ChoiceField(
        label="Which describes you best?",
        widget=forms.RadioSelect,
        help_text="Only this code is ever shown next to your words in a report.",
    )
    consent = forms.BooleanField(
        label="I understand and agree to take part on these terms",
        required=False,
    )
    accessibility_needs = forms.CharField(
        label="Anything that would help you take part?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: larger text, extra time, a screen reader, breaks. "
        "Only the organisers see this.",
    )
    contact_email = forms.EmailField(
        label="Email for the questionnaire after the event",
        required=False,
        help_text="Only used to send you the short questionnaire and never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_code"].choices = [
            *((r.code, f"{r.label} ({r.code})") for r in event.role_codes.all()),
            ("", "Prefer not to say"),
        ]
        self.fields["role_code"].required = False
