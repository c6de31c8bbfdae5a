"""The what-is-due page: every open deadline of every person the user looks
after, overdue / due today / due this week, each linked to where it is done,
with the clause that sets it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from homecare.core import access
from homecare.domain.deadlines import classify, describe, due_label

from .deadlines import collect_open, kind_label


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
    deadlines beyond this week."""
    if not access.may_see_deadlines(request.user):
        raise Http404
    now = timezone.now()
    packages = access.deadline_packages_for(request.user)
    deadlines = collect_open(packages, now)
    kinds = sorted((kind_label(k), k) for k in {d.kind for d in deadlines})
    kind = request.GET.get("kind", "")
    if kind:
        deadlines = [d for d in deadlines if d.kind == kind]
    classified = classify(deadlines, now)
    show_later = request.GET.get("later") == "1"
    groups = classified.groups(with_later=show_later)
    labels = _labels(packages, {d.package_id for _, _, ds in groups for d in ds})
    rows = [
        (
            bucket,
            title,
            [
                (d, labels.get(d.package_id, ("", "", "")), describe(d, now), due_label(d.due_at))
                for d in ds
            ],
        )
        for bucket, title, ds in groups
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
            "council_view": access.side(request.user) == "council",
            "now": now,
        },
    )
