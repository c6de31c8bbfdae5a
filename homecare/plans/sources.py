"""The deadlines of plans, goals, reviews and records, for the what-is-due page.

One source, set-based: a fixed handful of queries for any number of packages
(the packages, their contracts' rulebooks, first plan versions, first goals,
the Nth visit where the plan is counted in visits, reviews, records checks),
then plain Python per package with :mod:`homecare.domain.plans`.

Every number comes from the contract's rulebook; a 0 turns the deadline off.

- ``plan.due_after_start``: the plan within N days of start (LAN-ST-5.7).
- ``plan.due_by_visit``: the SMART action plan by the Nth visit (KENT-3.6.5).
- ``review.first``: the first review within N weeks/days (KENT-3.11.1, LAN-ST-3.5).
- ``review.statutory``: a statutory review at least every N months (KENT-3.11.2).
- ``review.pprif``: the pre-review form N weeks before the review (KENT-3.11.3).
- ``records.check``: records reviewed every N months (KENT-3.6.10).
- ``package.max_length``: stays beyond N weeks flagged (LAN-ST-4.13).
- ``goal.target``: each open SMART goal by its own target date (KENT-3.1.1).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from functools import lru_cache

from django.db.models import F, Max, Min, Q, Window
from django.db.models.functions import RowNumber

from homecare.domain import plans as rules
from homecare.domain.deadlines import Deadline, local_day
from homecare.packages.models import Visit

from .deadlines import contract_facts, hints, open_only, sid, text_id, url_maker
from .models import Goal, PlanVersion, RecordsCheck, Review

OPEN_STATUSES = ("active", "suspended")
_ID = re.compile(r"\b[A-Z]+(?:-[A-Z]+)*-\d[\w.]*\w")

KINDS = {
    "plan.due_after_start": "Care plan after the start",
    "plan.due_by_visit": "SMART action plan by a visit",
    "review.first": "First review",
    "review.statutory": "Statutory review",
    "review.pprif": "Pre-review form (PPRIF)",
    "records.check": "Records reviewed",
    "package.max_length": "Long stay to flag",
    "goal.target": "Goal target date",
}

#: A goal's own target date (the "time-bound" of SMART) is the deadline.
GOAL_CITE = (
    ("KENT-3.1.1",),
    "The provider keeps a SMART action plan: goals that work towards the outcomes in the "
    "Care and Support Plan (time-bound: each goal has the date it should be met by).",
)

#: How long after the start a package's SMART-plan deadline is still shown
#: once done (older done ones are not looked up: the page shows open ones).
SMART_DONE_LOOKBACK = timedelta(days=28)


@lru_cache(maxsize=1024)
def _cite(entry) -> tuple[tuple[str, ...], str]:
    """The requirement IDs and words behind a rulebook entry: its refs and
    clause, or for a homecare default the IDs its note cites."""
    refs = tuple(entry.ref) or tuple(dict.fromkeys(_ID.findall(entry.note or "")))
    return refs, entry.clause or entry.note


class _Maker:
    """Builds the Deadline values of one package row."""

    def __init__(self, pk, person, facts, skip_done, until):
        self.pk, self.person, self.skip_done, self.until = pk, person, skip_done, until
        self.book, self.provider, self.council = facts

    def __call__(self, kind, key_entry, title, due, url, *, cite=None):
        """``cite`` (refs, clause) where no rulebook entry sets the date."""
        if self.skip_done and (
            due.done_at is not None or (self.until is not None and due.due_at > self.until)
        ):
            return None
        refs, clause = cite or _cite(self.book.entry(key_entry))
        return Deadline(
            key=f"{kind}:{self.pk}:{due.suffix}" if due.suffix else f"{kind}:{self.pk}",
            kind=kind,
            title=title,
            due_at=due.due_at,
            refs=refs,
            clause=clause,
            individual_id=self.person,
            package_id=self.pk,
            provider_id=self.provider,
            council_id=self.council,
            url=url,
            done_at=due.done_at,
        )


def plan_deadlines(packages, now):
    """Every plan, review and records deadline of the open ``packages``."""
    live = packages.filter(status__in=OPEN_STATUSES)
    rows = list(
        live.values_list(
            text_id("id"), text_id("individual_id"), text_id("contract_id"), "start_date"
        )
    )
    if not rows:
        return []
    facts = contract_facts(live)
    books = {pk: f[0] for pk, f in facts.items()}
    today = local_day(now)
    urls = {
        "plan": url_maker("plans:plan"),
        "edit": url_maker("plans:edit"),
        "goals": url_maker("plans:goals"),
        "reviews": url_maker("plans:reviews"),
        "records": url_maker("plans:records"),
        "package": url_maker("packages:detail"),
    }
    live_ids = live.values("pk")
    first_version = dict(
        PlanVersion.objects.filter(plan__package__in=live_ids, archived_at__isnull=True)
        .values(k=text_id("plan__package_id"))
        .annotate(first=Min("issued_at"))
        .values_list("k", "first")
    )
    by_visit = {pk: books[sid(c)].value("plan.due_by_visit") for pk, _p, c, _s in rows}
    nth_visit, first_goal = {}, {}
    if any(by_visit.values()):
        first_goal = dict(
            Goal.objects.filter(plan__package__in=live_ids, archived_at__isnull=True)
            .values(k=text_id("plan__package_id"))
            .annotate(first=Min("created_at"))
            .values_list("k", "first")
        )
        recent = today - SMART_DONE_LOOKBACK
        wanted = [
            pk
            for pk, _p, _c, start in rows
            if by_visit[pk] and (pk not in first_goal or start >= recent)
        ]
        nth_visit = _nth_visits(wanted, max(by_visit.values()))
    skip_done, until = open_only(), hints().until
    reviews = defaultdict(list)  # package -> [(kind, held_on)]
    held = Review.objects.filter(
        package__in=live_ids, archived_at__isnull=True, held_on__isnull=False
    )
    if skip_done:  # the first review held, and the last statutory one, are enough
        for pk, first, last in (
            held.values(k=text_id("package_id"))
            .annotate(
                first=Min("held_on"), last=Max("held_on", filter=Q(kind=Review.Kind.STATUTORY))
            )
            .values_list("k", "first", "last")
        ):
            reviews[pk].append(("any", first))
            if last:
                reviews[pk].append((Review.Kind.STATUTORY, last))
    else:
        for pk, kind, day in held.values_list(text_id("package_id"), "kind", "held_on"):
            reviews[pk].append((kind, day))
    booked = defaultdict(list)  # package -> [(review id, scheduled_for, pprif done)]
    for pk, review, day, done in Review.objects.filter(
        package__in=live_ids,
        archived_at__isnull=True,
        held_on__isnull=True,
        scheduled_for__isnull=False,
    ).values_list(text_id("package_id"), "pk", "scheduled_for", "pprif_completed_at"):
        booked[pk].append((review, day, done))
    checks = defaultdict(list)
    done_checks = RecordsCheck.objects.filter(package__in=live_ids, archived_at__isnull=True)
    if skip_done:  # the last check is enough
        pairs = (
            done_checks.values(k=text_id("package_id"))
            .annotate(last=Max("checked_on"))
            .values_list("k", "last")
        )
    else:
        pairs = done_checks.values_list(text_id("package_id"), "checked_on")
    for pk, day in pairs:
        checks[pk].append(day)

    goals = defaultdict(list)  # package -> [(goal id, what, target date, achieved at)]
    live_goals = Goal.objects.filter(plan__package__in=live_ids, archived_at__isnull=True)
    live_goals = (
        live_goals.filter(status=Goal.Status.OPEN)
        if skip_done
        else live_goals.exclude(status=Goal.Status.STOPPED)
    )
    for pk, goal, what, target, achieved in live_goals.values_list(
        text_id("plan__package_id"), "pk", "specific", "target_date", "achieved_at"
    ):
        goals[pk].append((goal, what, target, achieved))
    goal_url = url_maker("plans:goal")

    out: list[Deadline] = []
    for key, person, contract, start in rows:
        pk, contract = sid(key), sid(contract)
        book = books[contract]
        make = _Maker(pk, sid(person), facts[contract], skip_done, until)
        out.extend(_plan(make, book, start, first_version.get(key), urls, pk))
        n = by_visit[key]
        if n and n in nth_visit.get(key, {}):
            out.append(
                make(
                    "plan.due_by_visit",
                    "plan.due_by_visit",
                    f"SMART action plan by visit {n}",
                    rules.Due("", nth_visit[key][n], first_goal.get(key)),
                    urls["goals"](pk),
                )
            )
        out.extend(_reviews(make, book, start, reviews.get(key, ()), booked.get(key, ()), urls, pk))
        entry = book.entry("records.review_interval")
        if entry.value:
            for due in rules.cycles(start, checks.get(key, ()), entry.value, entry.unit, "check"):
                out.append(
                    make(
                        "records.check",
                        "records.review_interval",
                        f"Records reviewed (every {entry.display()})",
                        due,
                        urls["records"](pk),
                    )
                )
        for goal, what, target, achieved in goals.get(key, ()):
            out.append(
                make(
                    "goal.target",
                    "",
                    f"Goal: {what[:70]}{'...' if len(what) > 70 else ''}",
                    rules.Due(str(goal), rules.due_after(target, 0, "days"), achieved),
                    goal_url(goal),
                    cite=GOAL_CITE,
                )
            )
        entry = book.entry("package.max_length")
        if entry.value:
            due = rules.Due("", rules.due_after(start, entry.value, entry.unit))
            out.append(
                make(
                    "package.max_length",
                    "package.max_length",
                    f"Stay reaches {entry.display()}: end it or flag the exception",
                    due,
                    urls["package"](pk),
                )
            )
    return [d for d in out if d is not None]


def _plan(make, book, start, first_version, urls, pk):
    entry = book.entry("plan.due_after_start")
    if not entry.value:
        return
    if entry.unit == "working_days":
        from homecare.domain.clocks import due_at
        from homecare.domain.deadlines import start_of_day

        due_at_ = due_at(start_of_day(start), entry.value, "working_days")
    else:
        due_at_ = rules.due_after(start, entry.value, entry.unit)
    yield make(
        "plan.due_after_start",
        "plan.due_after_start",
        f"Care plan within {entry.display()} of the start",
        rules.Due("", due_at_, first_version),
        urls["edit"](pk),
    )


def _reviews(make, book, start, reviews, booked, urls, pk):
    """First review, statutory reviews and the pre-review forms: ``reviews``
    are the held ones (kind, day), ``booked`` those booked and not yet held."""
    held = sorted(day for _kind, day in reviews)
    first = book.entry("review.first")
    open_reviews: list = []
    if first.value:
        due = rules.Due(
            "",
            rules.due_after(start, first.value, first.unit),
            rules.done_on(held[0] if held else None),
        )
        yield make(
            "review.first",
            "review.first",
            f"First review within {first.display()} of the start",
            due,
            urls["reviews"](pk),
        )
        if due.done_at is None:
            open_reviews.append(("first", due.due_at))
    statutory = book.entry("review.statutory")
    if statutory.value:
        days = [day for kind, day in reviews if kind == Review.Kind.STATUTORY]
        for due in rules.cycles(start, days, statutory.value, statutory.unit, "cycle"):
            yield make(
                "review.statutory",
                "review.statutory",
                f"Statutory review (at least every {statutory.display()})",
                due,
                urls["reviews"](pk),
            )
            if due.done_at is None:
                open_reviews.append(("statutory", due.due_at))
    pprif = book.entry("review.pprif_before")
    if not pprif.value:
        return
    title = f"Pre-review form (PPRIF) {pprif.display()} before the review"
    for review_pk, scheduled_for, completed in booked:
        due = rules.Due(str(review_pk), rules.pprif_due(scheduled_for, pprif.value, pprif.unit))
        yield make(
            "review.pprif",
            "review.pprif_before",
            title,
            rules.Due(due.suffix, due.due_at, completed),
            urls["reviews"](pk),
        )
    if not booked and open_reviews:
        name, review_due = min(open_reviews, key=lambda r: r[1])
        review_day = local_day(review_due - timedelta(seconds=1))
        yield make(
            "review.pprif",
            "review.pprif_before",
            title,
            rules.Due(f"{name}:{review_day}", rules.pprif_due(review_day, pprif.value, pprif.unit)),
            urls["reviews"](pk),
        )


def _nth_visits(package_ids, upto: int) -> dict:
    """``{package_id: {n: planned_start}}`` for the first ``upto`` visits (not
    cancelled) of each package: one query with a window function."""
    if not package_ids:
        return {}
    ranked = (
        Visit.objects.filter(package_id__in=package_ids, archived_at__isnull=True)
        .exclude(status=Visit.Status.CANCELLED)
        .annotate(
            n=Window(
                RowNumber(),
                partition_by=[F("package_id")],
                order_by=[F("planned_start").asc(), F("id").asc()],
            )
        )
        .filter(n__lte=upto)
        .values_list(text_id("package_id"), "n", "planned_start")
    )
    out: dict = defaultdict(dict)
    for pk, n, start in ranked:
        out[pk][n] = start
    return out
