"""Whether to offer the upload page in the menu, asked of its rule."""

from django import template

from core.rules import allows

from ..models import PlanUpload

register = template.Library()


@register.filter
def may_upload_plans(user) -> bool:
    return allows(PlanUpload.objects.manageable_by(user))
