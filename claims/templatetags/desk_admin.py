"""The desk dashboard, drawn on the admin index for whoever is signed in."""

from django import template

from ..admin.panels import dashboard_data

register = template.Library()


@register.inclusion_tag("admin/desk_dashboard.html", takes_context=True)
def desk_dashboard(context):
    user = context["request"].user
    return {"desk": dashboard_data(user), "request": context["request"]}


@register.filter
def get_count(counts: dict, key: str) -> int:
    """A verdict's count in a row of the desk figures (0 when the row has none)."""
    return counts.get(key, 0)
