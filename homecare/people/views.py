from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from homecare.core import access, selectors
from homecare.core.paging import paginate

from . import services
from .forms import IndividualForm


@login_required
def individual_list(request):
    people = access.individuals_for(request.user).select_related("area")
    if request.method == "POST":
        return _search(request, people)
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(
            Q(family_name__icontains=q)
            | Q(given_name__icontains=q)
            | Q(postcode__icontains=q)
            | Q(council_identifier=q)
        )
    return render(
        request,
        "people/individual_list.html",
        {
            "page": paginate(request, people.order_by("family_name", "given_name", "pk")),
            "q": q,
            "may_record": access.may_record_individuals(request.user),
        },
    )


def _search(request, people):
    """Searches arrive by POST so that an NHS number never lands in an address,
    a browser history or a server log: a number goes straight to the person,
    anything else becomes ``?q=``."""
    q = request.POST.get("q", "").strip()
    digits = q.replace(" ", "").replace("-", "")
    if len(digits) == 10 and digits.isdigit():
        match = people.filter(nhs_number=digits).first()
        if match is not None:
            return redirect("people:detail", pk=match.pk)
        messages.info(request, "Nobody you can see has that NHS number.")
        return redirect("people:list")
    return redirect(f"{reverse('people:list')}?{urlencode({'q': q})}" if q else "people:list")


@login_required
def individual_detail(request, pk):
    person = access.get_or_404(access.individuals_for(request.user).select_related("area"), pk=pk)
    today = timezone.localdate()
    start, _ = selectors.day_bounds(today)
    end = start + timezone.timedelta(days=7)
    return render(
        request,
        "people/individual_detail.html",
        {
            "person": person,
            "contacts": access.contacts_for(request.user).filter(individual=person),
            "packages": access.packages_for(request.user)
            .filter(individual=person)
            .select_related("contract", "organisation"),
            "visit_days": selectors.visit_days(
                selectors.visits_between(request.user, start, end).filter(individual=person),
                full_names=True,
            ),
            "may_edit": access.may_edit_individuals(request.user),
            "is_worker": request.user.is_care_worker,
        },
    )


@login_required
def individual_create(request):
    if not access.may_record_individuals(request.user):
        raise Http404
    form = IndividualForm(request.POST or None, areas=access.areas_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.individual_create(
                by=request.user, organisation=request.user.organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{person} is recorded.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/individual_form.html", {"form": form, "person": None})


@login_required
def individual_edit(request, pk):
    person = access.get_or_404(access.individuals_for(request.user), pk=pk)
    if not access.may_edit_individuals(request.user):
        raise Http404
    form = IndividualForm(
        request.POST or None, instance=person, areas=access.areas_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        fresh = access.get_or_404(access.individuals_for(request.user), pk=pk)
        try:
            services.individual_update(by=request.user, individual=fresh, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("people:detail", pk=pk)
    return render(request, "people/individual_form.html", {"form": form, "person": person})


@login_required
def individual_history(request, pk):
    """Who changed what, and when: every version of the record, newest first."""
    if request.user.is_care_worker or request.user.is_family:
        raise Http404
    person = access.get_or_404(access.individuals_for(request.user), pk=pk)
    return render(
        request,
        "people/individual_history.html",
        {
            "person": person,
            "changes": _changes(
                person.history.select_related("history_user").order_by("-history_date")[:200]
            ),
        },
    )


def _changes(records):
    records = list(records)
    out = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        diff = newer.diff_against(older).changes if older is not None else []
        out.append({"record": newer, "changes": diff})
    return out
