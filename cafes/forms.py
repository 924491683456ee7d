"""Plain forms of the café: the post-event questionnaire (no websocket or JavaScript needed)
and the facilitator's CSV upload of notes from an event run on paper or another board."""

import uuid

from django import forms

from cafes.models import TEXT_MAX_LENGTH


class QuestionnaireForm(forms.Form):
    """One optional text box per closing question, and an id that makes resubmits safe.
    ``disabled``: the boxes show the answers but take none (past the deadline)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args, questions, answers: dict[int, str], disabled: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = uuid.uuid4()
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.field_name(question)] = forms.CharField(
                label=question.text,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                initial=answers.get(question.pk, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="" if disabled else "Optional. Plain words, up to 2,000 characters.",
                disabled=disabled,
            )

    @staticmethod
    def field_name(question) -> str:
        return f"answer_{question.pk}"

    def answered(self):
        """(question, text, client_id) for every box with something in it."""
        base = self.cleaned_data["client_id"]
        for question in self.questions:
            text = self.cleaned_data.get(self.field_name(question), "").strip()
            if text:
                yield question, text, uuid.uuid5(base, str(question.pk))

    def cleared(self):
        """The questions whose answer the person emptied (the box had one, and now none)."""
        for question in self.questions:
            name = self.field_name(question)
            if self.fields[name].initial and not self.cleaned_data.get(name, "").strip():
                yield question


class NotesUploadForm(forms.Form):
    """A CSV file in the ``import_notes`` format, read as UTF-8 text."""

    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: round, table, kind, text, role, question, with a header row, saved as "
            "UTF-8. Up to 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("This file is larger than 5 MB. Split it and try again.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "This file is not UTF-8 text. In your spreadsheet, save it as "
                "“CSV UTF-8” and try again."
            ) from None
