from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset):
    """One page of ``queryset`` (HOMECARE_PAGE_SIZE rows), from ``?page=``."""
    paginator = Paginator(queryset, settings.HOMECARE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
