"""The wall of the slotdialoog on the participant's personal page, drawn on the server so
that it works without JavaScript too (the page's view stays about the rounds)."""

from django import template

register = template.Library()


@register.inclusion_tag("participant/_wall.html", takes_context=True)
def participant_wall(context) -> dict:
    """`{% participant_wall %}` on a page whose context has `participant` (with a claim)."""
    from sessions.wall_views import participant_wall_context

    request = context.get("request")
    raw = request.GET.get("bewerk", "") if request is not None else ""
    editing = int(raw) if raw.isdigit() and len(raw) < 12 else None
    token = str(context.get("csrf_token") or "")
    wall = participant_wall_context(
        context["participant"].claim,
        editing=editing,
        csrf_token=token,
        # The page's rounds part read the open prompts already (its status line names them).
        none_open=context.get("wall_open") == [],
    )
    wall["request"] = request
    wall["csrf_token"] = context.get("csrf_token")
    return wall
