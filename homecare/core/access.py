"""Who may see what: every view, form, admin page and API endpoint reads
through these helpers, never through ``Model.objects`` directly.

- A council sees the people it is responsible for, its contracts, and the
  packages bought under them.
- A provider's office (manager, coordinator) sees its own packages, the people
  it delivers to, its workers and its contracts.
- A care worker sees themself, and the people and visits on their rota for the
  coming week only (KENT-8.7.4: no more personal data than a week's work needs).
- Family see one person: their care, their visits and who is coming.
- Anyone else sees nothing, and an object they may not see is a 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from homecare.accounts.models import Role
from homecare.organisations.models import Contract, Organisation
from homecare.packages.models import CarePackage, PatternEntry, Visit, VisitAssignment
from homecare.people.models import Contact, Individual
from homecare.workforce.models import CareWorker

#: How far back and ahead a care worker sees the people on their rota.
WORKER_SEES_BACK = timedelta(days=1)
WORKER_SEES_AHEAD = timedelta(days=7)


def _worker_window():
    now = timezone.now()
    return now - WORKER_SEES_BACK, now + WORKER_SEES_AHEAD


def _worker_visits(user) -> QuerySet[Visit]:
    start, end = _worker_window()
    return Visit.objects.filter(
        archived_at__isnull=True,
        assignments__worker__user=user,
        planned_start__gte=start,
        planned_start__lt=end,
    )


COUNCIL = frozenset({Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER})
OFFICE = frozenset({Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR})


def side(user) -> str | None:
    """Which side of the service the user works on: council, office (a provider's
    manager or coordinator), worker or family; None for nobody."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in COUNCIL:
        return "council"
    if user.role in OFFICE:
        return "office"
    return {Role.CARE_WORKER: "worker", Role.FAMILY: "family"}.get(user.role)


def _scoped(model, user, **rules) -> QuerySet:
    """Live rows of ``model`` that ``user`` may see: ``rules`` maps a side to a
    function narrowing the queryset; a side without a rule sees nothing."""
    qs = model.objects.filter(archived_at__isnull=True)
    rule = rules.get(side(user))
    return rule(qs) if rule else qs.none()


def individuals_for(user) -> QuerySet[Individual]:
    def delivered(qs):
        packages = CarePackage.objects.filter(
            individual=OuterRef("pk"),
            organisation_id=user.organisation_id,
            archived_at__isnull=True,
        )
        return qs.filter(Exists(packages))

    return _scoped(
        Individual,
        user,
        council=lambda qs: qs.filter(organisation_id=user.organisation_id),
        office=delivered,
        worker=lambda qs: qs.filter(Exists(_worker_visits(user).filter(individual=OuterRef("pk")))),
        family=lambda qs: qs.filter(pk=user.individual_id),
    )


def packages_for(user) -> QuerySet[CarePackage]:
    def of_their_person(qs):
        return qs.filter(individual__in=individuals_for(user).values("pk"))

    return _scoped(
        CarePackage,
        user,
        council=lambda qs: qs.filter(contract__organisation_id=user.organisation_id),
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
        worker=of_their_person,
        family=of_their_person,
    )


def pattern_entries_for(user) -> QuerySet[PatternEntry]:
    return PatternEntry.objects.filter(
        archived_at__isnull=True, package__in=packages_for(user).values("pk")
    )


def visits_for(user) -> QuerySet[Visit]:
    def on_their_rota(qs):
        start, end = _worker_window()
        mine = VisitAssignment.objects.filter(visit=OuterRef("pk"), worker__user=user)
        return qs.filter(Exists(mine), planned_start__gte=start, planned_start__lt=end)

    return _scoped(
        Visit,
        user,
        council=lambda qs: qs.filter(package__contract__organisation_id=user.organisation_id),
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
        worker=on_their_rota,
        family=lambda qs: qs.filter(individual_id=user.individual_id),
    )


def contacts_for(user) -> QuerySet[Contact]:
    """Contacts of the people the user sees; a care worker sees only the
    emergency contacts."""
    qs = Contact.objects.filter(
        archived_at__isnull=True, individual__in=individuals_for(user).values("pk")
    )
    return qs.filter(is_emergency_contact=True) if side(user) == "worker" else qs


def workers_for(user) -> QuerySet[CareWorker]:
    return _scoped(
        CareWorker,
        user,
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
        worker=lambda qs: qs.filter(user=user),
    )


def contracts_for(user) -> QuerySet[Contract]:
    return _scoped(
        Contract,
        user,
        council=lambda qs: qs.filter(organisation_id=user.organisation_id),
        office=lambda qs: qs.filter(provider_id=user.organisation_id),
    )


def organisations_for(user) -> QuerySet[Organisation]:
    """The user's own organisation and those it holds contracts with."""
    qs = Organisation.objects.filter(archived_at__isnull=True)
    if side(user) not in ("council", "office"):
        return qs.none()
    contracts = contracts_for(user)
    return (
        qs.filter(pk__in=[user.organisation_id])
        | qs.filter(pk__in=contracts.values("organisation_id"))
        | qs.filter(pk__in=contracts.values("provider_id"))
    )


def referrals_for(user):
    """A council sees its referrals; a provider sees those offered to it."""
    from homecare.referrals.models import Offer, Referral

    def offered(qs):
        offers = Offer.objects.filter(referral=OuterRef("pk"), provider_id=user.organisation_id)
        return qs.filter(Exists(offers))

    return _scoped(
        Referral,
        user,
        council=lambda qs: qs.filter(organisation_id=user.organisation_id),
        office=offered,
    )


def offers_for(user):
    """A council sees every offer of its referrals; a provider only its own."""
    from homecare.referrals.models import Offer

    return _scoped(
        Offer,
        user,
        council=lambda qs: qs.filter(organisation_id=user.organisation_id),
        office=lambda qs: qs.filter(provider_id=user.organisation_id),
    )


def areas_for(user):
    from homecare.organisations.models import Area

    return _scoped(
        Area,
        user,
        council=lambda qs: qs.filter(organisation_id=user.organisation_id),
        office=lambda qs: qs.filter(contracts__provider_id=user.organisation_id).distinct(),
    )


def may_broker(user) -> bool:
    """Council brokers make, publish, confirm and cancel referrals."""
    return side(user) == "council" and user.role == Role.COUNCIL_BROKER


def may_answer_offers(user) -> bool:
    return side(user) == "office"


def get_or_404(queryset: QuerySet, **lookup):
    """One object from an access-scoped queryset, or 404 (never 403: an outsider
    learns nothing, not even that the record exists)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# What each role may change (reads are scoped above; these gate the writes).
def may_record_individuals(user) -> bool:
    """Council brokers record the people they commission care for."""
    return side(user) == "council" and user.role == Role.COUNCIL_BROKER


def may_edit_individuals(user) -> bool:
    return side(user) == "office" or may_record_individuals(user)


def may_plan_packages(user) -> bool:
    """The provider's office changes the visit pattern and the package's status."""
    return side(user) == "office"


# Notifications (homecare.notifications)
def notifications_for(user):
    """A council sees what providers told it; a provider's office what it told."""
    from homecare.notifications.models import Notification

    return _scoped(
        Notification,
        user,
        council=lambda qs: qs.filter(council_id=user.organisation_id),
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
    )


# -- rostering (issue 5) ---------------------------------------------------------------
def rota_runs_for(user):
    """A provider's office sees its own optimizer runs; nobody else sees any."""
    from homecare.rostering.models import RotaRun

    if side(user) != "office":
        return RotaRun.objects.none()
    return RotaRun.objects.filter(organisation_id=user.organisation_id)


# --- plans (issue 4): plans, goals, reviews and the what-is-due page ---------
def may_see_deadlines(user) -> bool:
    """The what-is-due page is for the council (packages under its contracts)
    and the provider's office (its own packages)."""
    return side(user) in ("council", "office")


def deadline_packages_for(user) -> QuerySet[CarePackage]:
    """The packages whose deadlines ``user`` sees: :func:`packages_for` for the
    council and the office, nothing for anyone else."""
    return packages_for(user) if may_see_deadlines(user) else CarePackage.objects.none()


def may_write_plans(user) -> bool:
    """The provider's office writes plans, SMART goals, progress and reviews."""
    return side(user) == "office"


def plans_for(user):
    """Care and support plans of the packages the user sees (family: their
    person's only; a care worker: the people on their rota)."""
    from homecare.plans.models import CarePlan

    return CarePlan.objects.filter(
        archived_at__isnull=True, package__in=packages_for(user).values("pk")
    )


def reviews_for(user):
    from homecare.plans.models import Review

    return Review.objects.filter(
        archived_at__isnull=True, package__in=packages_for(user).values("pk")
    )


def goals_for(user):
    from homecare.plans.models import Goal

    return Goal.objects.filter(
        archived_at__isnull=True, plan__package__in=packages_for(user).values("pk")
    )


# ---- journey (changes to care, hospital stays, hand-backs, Discharge to Assess) ----


def _journey(model, user):
    """Journey records of the packages the user's side sees: the council (its
    contracts) and the provider's office (its own); nobody else."""
    if side(user) not in ("council", "office"):
        return model.objects.none()
    return model.objects.filter(
        archived_at__isnull=True, package__in=packages_for(user).values("pk")
    )


def package_changes_for(user):
    from homecare.journey.models import PackageChange

    return _journey(PackageChange, user)


def hospital_stays_for(user):
    from homecare.journey.models import HospitalStay

    return _journey(HospitalStay, user)


def handbacks_for(user):
    from homecare.journey.models import HandBack

    return _journey(HandBack, user)


def d2a_periods_for(user):
    from homecare.journey.models import DischargeToAssess

    return _journey(DischargeToAssess, user)


def may_change_care(user) -> bool:
    """The provider's office proposes changes, records admissions and hands back."""
    return side(user) == "office"


def may_decide_changes(user) -> bool:
    """Council brokers decide requests, reverse changes (LAN-HC-5.8) and restart packages."""
    return may_broker(user)


# Visits (issue 6: the care worker's phone app and the visit record).
def visit_events_for(user):
    """The office sees its provider's events from phones; a worker sees their own."""
    from homecare.visits.models import VisitEvent

    return _scoped(
        VisitEvent,
        user,
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
        worker=lambda qs: qs.filter(worker__user=user),
    )


def home_profiles_for(user):
    """The office sees its provider's home profiles (tag codes, access notes)."""
    from homecare.visits.models import HomeProfile

    return _scoped(
        HomeProfile, user, office=lambda qs: qs.filter(organisation_id=user.organisation_id)
    )


def call_records_for(user):
    """Verified calls of the visits the user sees."""
    from homecare.visits.models import CallRecord

    return CallRecord.objects.filter(
        archived_at__isnull=True, visit__in=visits_for(user).values("pk")
    )


# Call monitoring (homecare.monitoring)
def call_watches_for(user):
    """A provider's office sees the calls it delivers; a council the calls on its contracts."""
    from homecare.monitoring.models import CallWatch

    return _scoped(
        CallWatch,
        user,
        council=lambda qs: qs.filter(council_id=user.organisation_id),
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
    )


# Billing (issue 7): an invoice belongs to the provider that raised it and is
# addressed to the council, which sees it once submitted (a draft is the
# provider's working copy); nobody else sees any.
def invoices_for(user):
    from homecare.billing.models import Invoice

    return _scoped(
        Invoice,
        user,
        council=lambda qs: qs.filter(council_id=user.organisation_id).exclude(status="draft"),
        office=lambda qs: qs.filter(organisation_id=user.organisation_id),
    )


def invoice_lines_for(user):
    from homecare.billing.models import InvoiceLine

    return InvoiceLine.objects.filter(
        archived_at__isnull=True, invoice__in=invoices_for(user).values("pk")
    )


def billing_periods_for(user):
    from homecare.billing.models import BillingPeriod

    return BillingPeriod.objects.filter(
        archived_at__isnull=True, contract__in=contracts_for(user).values("pk")
    )


def may_raise_invoices(user) -> bool:
    """A provider's office draws, submits and credits its invoices."""
    return side(user) == "office"


def may_settle_invoices(user) -> bool:
    """A council's staff open and close periods, query, approve and pay invoices."""
    return side(user) == "council"
