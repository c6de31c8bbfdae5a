"""The what-is-due page: every open deadline of every person the user looks
after, overdue / due today / due this week, each linked to where it is done,
with the clause that sets it."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from homecare.core import access
from homecare.domain.deadlines import (
    WEEK_DAYS,
    classify,
    describe,
    due_label,
    end_of_day,
    local_day,
)

from .cache import open_deadlines
from .deadlines import kind_label

#: Rows shown per section before "show all": the most urgent first.
PER_SECTION = 60


def _labels(packages, ids) -> dict:
    """``{package_id: (reference, person, provider)}`` for the packages with a
    deadline on the page: one query."""
    if not ids:
        return {}
    rows = packages.filter(pk__in=list(ids)).values_list(
        "id", "reference", "individual__given_name", "individual__family_name", "organisation__name"
    )
    return {pk: (ref, f"{given} {family}", provider) for pk, ref, given, family, provider in rows}


@login_required
def due(request):
    """What is due (coordinator: their packages; council: packages under its
    contracts). ``?kind=`` keeps one kind of deadline; ``?later=1`` adds the
    deadlines beyond this week; each section shows the most urgent
    :data:`PER_SECTION` rows (with the count of all) unless ``?all=1``."""
    if not access.may_see_deadlines(request.user):
        raise Http404
    now = timezone.now()
    packages = access.deadline_packages_for(request.user)
    show_later = request.GET.get("later") == "1"
    until = None if show_later else end_of_day(local_day(now) + timedelta(days=WEEK_DAYS))
    deadlines = open_deadlines(request.user, packages, now, until=until, scope_day=local_day(now))
    kinds = sorted((kind_label(k), k) for k in {d.kind for d in deadlines})
    kind = request.GET.get("kind", "")
    if kind:
        deadlines = [d for d in deadlines if d.kind == kind]
    classified = classify(deadlines, now)
    show_all = request.GET.get("all") == "1"
    groups = [
        (bucket, title, ds if show_all else ds[:PER_SECTION], len(ds))
        for bucket, title, ds in classified.groups(with_later=show_later)
    ]
    labels = _labels(packages, {d.package_id for _, _, ds, _n in groups for d in ds})
    rows = [
        (
            bucket,
            title,
            [
                (d, labels.get(d.package_id, ("", "", "")), describe(d, now), due_label(d.due_at))
                for d in ds
            ],
            total,
        )
        for bucket, title, ds, total in groups
    ]
    return render(
        request,
        "plans/due.html",
        {
            "groups": rows,
            "counts": classified.counts(),
            "kinds": kinds,
            "kind": kind,
            "show_later": show_later,
            "show_all": show_all,
            "council_view": access.side(request.user) == "council",
            "now": now,
        },
    )
