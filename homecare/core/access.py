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


def individuals_for(user) -> QuerySet[Individual]:
    qs = Individual.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        delivered = CarePackage.objects.filter(
            individual=OuterRef("pk"),
            organisation_id=user.organisation_id,
            archived_at__isnull=True,
        )
        return qs.filter(Exists(delivered))
    if user.role == Role.CARE_WORKER:
        return qs.filter(Exists(_worker_visits(user).filter(individual=OuterRef("pk"))))
    if user.role == Role.FAMILY:
        return qs.filter(pk=user.individual_id)
    return qs.none()


def packages_for(user) -> QuerySet[CarePackage]:
    qs = CarePackage.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return qs.filter(contract__organisation_id=user.organisation_id)
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in (Role.CARE_WORKER, Role.FAMILY):
        return qs.filter(individual__in=individuals_for(user).values("pk"))
    return qs.none()


def pattern_entries_for(user) -> QuerySet[PatternEntry]:
    return PatternEntry.objects.filter(
        archived_at__isnull=True, package__in=packages_for(user).values("pk")
    )


def visits_for(user) -> QuerySet[Visit]:
    qs = Visit.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return qs.filter(package__contract__organisation_id=user.organisation_id)
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role == Role.CARE_WORKER:
        start, end = _worker_window()
        mine = VisitAssignment.objects.filter(visit=OuterRef("pk"), worker__user=user)
        return qs.filter(Exists(mine), planned_start__gte=start, planned_start__lt=end)
    if user.role == Role.FAMILY:
        return qs.filter(individual_id=user.individual_id)
    return qs.none()


def contacts_for(user) -> QuerySet[Contact]:
    if user.is_authenticated and user.role in (Role.CARE_WORKER,):
        # Workers get the person's emergency contacts only.
        return Contact.objects.filter(
            archived_at__isnull=True,
            is_emergency_contact=True,
            individual__in=individuals_for(user).values("pk"),
        )
    return Contact.objects.filter(
        archived_at__isnull=True, individual__in=individuals_for(user).values("pk")
    )


def workers_for(user) -> QuerySet[CareWorker]:
    qs = CareWorker.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role == Role.CARE_WORKER:
        return qs.filter(user=user)
    return qs.none()


def contracts_for(user) -> QuerySet[Contract]:
    qs = Contract.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        return qs.filter(provider_id=user.organisation_id)
    return qs.none()


def organisations_for(user) -> QuerySet[Organisation]:
    """The user's own organisation and those it holds contracts with."""
    qs = Organisation.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
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

    qs = Referral.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        offered = Offer.objects.filter(referral=OuterRef("pk"), provider_id=user.organisation_id)
        return qs.filter(Exists(offered))
    return qs.none()


def offers_for(user):
    """A council sees every offer of its referrals; a provider only its own."""
    from homecare.referrals.models import Offer

    qs = Offer.objects.filter(archived_at__isnull=True)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        return qs.filter(provider_id=user.organisation_id)
    return qs.none()


def may_broker(user) -> bool:
    """Council brokers make, publish, confirm and cancel referrals."""
    return user.is_authenticated and user.role == Role.COUNCIL_BROKER


def may_answer_offers(user) -> bool:
    return user.is_authenticated and user.role in (
        Role.PROVIDER_MANAGER,
        Role.PROVIDER_COORDINATOR,
    )


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
    return user.is_authenticated and user.role == Role.COUNCIL_BROKER


def may_edit_individuals(user) -> bool:
    return user.is_authenticated and user.role in (
        Role.COUNCIL_BROKER,
        Role.PROVIDER_MANAGER,
        Role.PROVIDER_COORDINATOR,
    )


def may_plan_packages(user) -> bool:
    """The provider's office changes the visit pattern and the package's status."""
    return user.is_authenticated and user.role in (
        Role.PROVIDER_MANAGER,
        Role.PROVIDER_COORDINATOR,
    )


def areas_for(user):
    from homecare.organisations.models import Area

    if user.is_authenticated and user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        return Area.objects.filter(archived_at__isnull=True, organisation_id=user.organisation_id)
    if user.is_authenticated and user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        return Area.objects.filter(
            archived_at__isnull=True, contracts__provider_id=user.organisation_id
        ).distinct()
    return Area.objects.none()
