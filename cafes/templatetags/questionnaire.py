"""Template tags of the post-event questionnaire.

``{% questionnaire_panel event %}``: the questionnaire on the event's staff overview, which
``events`` draws without reading ``cafes``: how many were sent the link and how far they
got (numbers only, never whose words), the deadline, and "Send one reminder" for the
facilitator. ``{% answer_deadline event %}``: the deadline as every page says it."""

from django import template
from django.utils.html import format_html

from cafes import selectors
from cafes.permissions import can_run
from cafes.questionnaire import answer_deadline as deadline_of
from cafes.questionnaire import deadline_words, questionnaire_counts

register = template.Library()


@register.inclusion_tag("cafes/_questionnaire_panel.html", takes_context=True)
def questionnaire_panel(context, event) -> dict:
    viewer = selectors.viewer_for(event=event, session=None, user=context["request"].user)
    return {
        "event": event,
        "counts": questionnaire_counts(event),
        "can_remind": viewer is not None and can_run(viewer),
        "csrf_token": context["csrf_token"],
    }


@register.simple_tag
def answer_deadline(event) -> str:
    """The deadline on the event's clock, in a ``<time>`` a program can read."""
    return format_html(
        '<time datetime="{}">{}</time>', deadline_of(event).isoformat(), deadline_words(event)
    )
