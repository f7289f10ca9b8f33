"""The sandbox banner's question for the admin's pages (the site's own pages ask
maps' ``sandbox_banner``)."""

from __future__ import annotations

from django import template

from layers.permissions import is_sandbox_account

register = template.Library()


@register.simple_tag(takes_context=True)
def sandbox_account(context: template.Context) -> bool:
    """Whether the signed-in user is a training sandbox's account."""
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and is_sandbox_account(user))
