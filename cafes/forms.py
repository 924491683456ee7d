"""The post-event questionnaire: a plain form that needs no websocket or JavaScript."""

import uuid

from django import forms

from cafes.models import TEXT_MAX_LENGTH


class QuestionnaireForm(forms.Form):
    """One optional text box per closing question, and an id that makes resubmits safe."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, answers: dict[int, str], **kwargs) -> None:
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
                help_text="Optional. Plain words, up to 2,000 characters.",
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
