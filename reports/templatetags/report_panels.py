"""``{% event_report_panel event %}``: the newest versions of an event's report, with
"Compile a new version", for the harvest workspace (the panel polls ``reports:event_panel``
while a version compiles)."""

from django import template

from reports import selectors

register = template.Library()


@register.inclusion_tag("reports/_event_panel.html", takes_context=True)
def event_report_panel(context, event) -> dict:
    return {**panel_context(context["request"].user, event), "csrf_token": context["csrf_token"]}


def panel_context(user, event) -> dict:
    item = selectors.reports_for_event(event=event, user=user)
    return {"item": item, "event": event, "in_progress": bool(item and item.in_progress)}
