"""``{% questionnaire_panel event %}``: the post-event questionnaire on the event's staff
overview, which ``events`` draws without reading ``cafes``: how many were sent the link and
how far they got (numbers only, never whose words), the deadline, and "Send one reminder"
for the facilitator."""

from django import template

from cafes import selectors
from cafes.permissions import can_run
from cafes.questionnaire import questionnaire_counts

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
