from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from homecare.core import access, selectors
from homecare.core.paging import paginate

from .models import Skill


@login_required
def worker_list(request):
    workers = access.workers_for(request.user).prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("name"))
    )
    q = request.GET.get("q", "").strip()
    if q:
        workers = workers.filter(Q(family_name__icontains=q) | Q(given_name__icontains=q))
    return render(
        request,
        "workforce/worker_list.html",
        {
            "page": paginate(request, workers.order_by("family_name", "given_name", "pk")),
            "q": q,
        },
    )


@login_required
def worker_detail(request, pk):
    worker = access.get_or_404(
        access.workers_for(request.user).prefetch_related("skills", "availability"), pk=pk
    )
    start, _ = selectors.day_bounds(timezone.localdate())
    end = start + timezone.timedelta(days=7)
    visits = selectors.visits_between(request.user, start, end).filter(assignments__worker=worker)
    days = selectors.visit_days(visits, full_names=True)
    return render(
        request,
        "workforce/worker_detail.html",
        {
            "worker": worker,
            "visit_days": days,
            "visit_count": sum(len(rows) for _, rows in days),
        },
    )
