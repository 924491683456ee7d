"""Plain forms for Open Space and Create: they give pages their labelled fields; the
services do the real checking, so a web form, a test and any future socket agree."""

import uuid

from django import forms

from openspace.models import FIELD_MAX_LENGTH, TITLE_MAX_LENGTH, WHY_MAX_LENGTH, ConcernKind


class WithClientId(forms.Form):
    """A hidden id made when the form is shown, so a double submit stores one row."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = uuid.uuid4()


class CheckedText(forms.CharField):
    """Text the service checks, so its messages are the same on every page and socket:
    the form only carries it (``required`` still marks the field for people)."""

    def validate(self, value) -> None:
        """Nothing here: ``openspace.services`` says what is wrong and next to which field."""


def _text(label: str, *, max_length: int, rows: int = 3, required=True, help_text=""):
    return CheckedText(
        label=label,
        required=required,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
    )


class TopicForm(WithClientId):
    title = CheckedText(
        label="Your topic",
        strip=False,
        help_text="A short title, e.g. “Keeping brothers and sisters together”.",
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX_LENGTH}),
    )
    why = _text(
        "Why it matters",
        max_length=WHY_MAX_LENGTH,
        rows=2,
        required=False,
        help_text="One line, so people know what the conversation is about.",
    )


class KeyPointsForm(forms.Form):
    key_points = _text(
        "Key points to share",
        max_length=FIELD_MAX_LENGTH,
        rows=4,
        help_text="What your group wants everyone to hear. Everyone at the event can read it.",
    )
    share_notes = forms.BooleanField(
        label="Also share our notes with the organisers", required=False
    )


class SpaceForm(forms.Form):
    name = forms.CharField(label="Space name", max_length=60)
    capacity = forms.IntegerField(label="How many people fit", min_value=1, max_value=500)


class SlotForm(forms.Form):
    label = forms.CharField(label="Time slot", max_length=60, help_text="e.g. 11:00 to 11:45")


class ProposalForm(WithClientId):
    problem = _text("The problem it answers", max_length=FIELD_MAX_LENGTH)
    sources = forms.MultipleChoiceField(
        label="It comes from these themes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Explore themes and quotes behind the problem.",
    )
    change = _text("The change we propose", max_length=FIELD_MAX_LENGTH)
    who_acts = _text("Who should act", max_length=FIELD_MAX_LENGTH, rows=2)
    first_step = _text("A first step", max_length=FIELD_MAX_LENGTH, rows=2)
    impact = _text("How we would know it worked", max_length=FIELD_MAX_LENGTH, rows=2)
    open_questions = _text("Open questions", max_length=FIELD_MAX_LENGTH, rows=2, required=False)

    def __init__(self, *args, sources=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = [
            (str(s.id), f"{s.theme_title} ({s.group})") for s in sources
        ]


class ConcernForm(WithClientId):
    kind = forms.ChoiceField(
        label="What kind of concern is it?",
        choices=ConcernKind.choices,
        widget=forms.RadioSelect,
        initial=ConcernKind.PROBLEM,
    )
    text = _text("Your concern", max_length=FIELD_MAX_LENGTH, rows=2)
