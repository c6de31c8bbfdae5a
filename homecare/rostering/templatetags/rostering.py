"""``{% calendar_link %}``: the signed-in care worker's iCalendar feed address."""

from django import template
from django.urls import reverse

from homecare.workforce.models import CareWorker

from ..services import calendar_token_issue

register = template.Library()


@register.inclusion_tag("rostering/_calendar_link.html", takes_context=True)
def calendar_link(context):
    request = context["request"]
    worker = CareWorker.objects.filter(user=request.user, archived_at__isnull=True).first()
    if worker is None:
        return {"url": None}
    token = calendar_token_issue(worker=worker)
    path = reverse("rostering:calendar", kwargs={"token": token.token})
    return {"url": request.build_absolute_uri(path)}
