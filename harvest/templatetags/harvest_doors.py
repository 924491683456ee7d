"""``{% has_harvest_door event as name %}``: whether the signed-in user may open the event's
harvest workspace (``harvest.permissions.has_harvest_door``), for the staff home page's event
cards, which ``events`` draws without deciding harvest's permissions."""

from django import template

from harvest.permissions import has_harvest_door as may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def has_harvest_door(context, event) -> bool:
    return may_open(context["request"].user, event)
