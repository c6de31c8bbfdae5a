"""The list of people on the service N days or more without a plan
(LAN-ST-9.6), for the contracts whose rulebook asks for it; and sending it
to the council on the rulebook's days."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from homecare.domain import plans as rules

from .deadlines import rules_by_contract, url_maker
from .models import MissingPlanList, PlanVersion
from .sources import OPEN_STATUSES


def people_without_plan(packages, today: date) -> list[dict]:
    """One row per open package that has been running ``plan.missing_report_after``
    days or more with no plan issued: a fixed number of queries."""
    live = packages.filter(status__in=OPEN_STATUSES)
    books = rules_by_contract(live)
    after = {pk: b.value("plan.missing_report_after") for pk, b in books.items()}
    wanted = [pk for pk, days in after.items() if days]
    if not wanted:
        return []
    planned = PlanVersion.objects.filter(plan__package=OuterRef("pk"), archived_at__isnull=True)
    rows = (
        live.filter(contract_id__in=wanted)
        .annotate(planned=Exists(planned))
        .filter(planned=False)
        .values_list(
            "id",
            "reference",
            "individual__given_name",
            "individual__family_name",
            "organisation__name",
            "organisation_id",
            "contract_id",
            "contract__reference",
            "start_date",
        )
        .order_by("start_date", "reference")
    )
    url = url_maker("plans:edit")
    out = []
    for pk, ref, given, family, provider, provider_id, contract, contract_ref, start in rows:
        days = rules.days_on_service(start, today)
        if days >= after[contract]:
            out.append(
                {
                    "package_id": str(pk),
                    "reference": ref,
                    "person": f"{given} {family}",
                    "provider": provider,
                    "provider_id": str(provider_id),
                    "contract_id": str(contract),
                    "contract": contract_ref,
                    "start_date": start.isoformat(),
                    "days": days,
                    "url": url(pk),
                }
            )
    return out


def missing_plan_lists_send(*, today: date | None = None) -> list[MissingPlanList]:
    """Send each contract's list on its days (``plan.missing_report_per_week``,
    LAN-ST-9.6), once a day: the list is kept as sent and the council is told
    through a notification. Returns the lists sent now."""
    from homecare.notifications.services import notification_raise
    from homecare.organisations.models import Contract
    from homecare.packages.models import CarePackage

    today = today or timezone.localdate()
    sent = []
    for contract in Contract.objects.filter(archived_at__isnull=True).select_related(
        "organisation", "provider"
    ):
        book = contract.rules()
        per_week = book.value("plan.missing_report_per_week")
        if not book.value("plan.missing_report_after") or today.weekday() not in (
            rules.report_weekdays(per_week)
        ):
            continue
        if MissingPlanList.objects.filter(contract=contract, for_date=today).exists():
            continue
        packages = CarePackage.objects.filter(archived_at__isnull=True, contract=contract)
        rows = people_without_plan(packages, today)
        entry = book.entry("plan.missing_report_after")
        try:
            with transaction.atomic():
                report = MissingPlanList.objects.create(
                    organisation=contract.provider,
                    contract=contract,
                    for_date=today,
                    sent_at=timezone.now(),
                    rows=rows,
                )
                lines = [
                    f"- {r['person']} ({r['reference']}), on the service {r['days']} days "
                    f"since {r['start_date']}"
                    for r in rows
                ] or ["- Nobody: everyone on the service has a plan."]
                notification_raise(
                    kind="plan_missing",
                    provider=contract.provider,
                    council=contract.organisation,
                    subject=(
                        f"People without a plan after {entry.display()}: {len(rows)} "
                        f"({contract.reference}, {today:%d %b %Y})"
                    ),
                    body=(
                        f"{contract.provider}: everyone on the service for {entry.display()} "
                        f"or more without a Short Term Care at Home plan, on {today:%A %d %B %Y}."
                        "\n\n" + "\n".join(lines)
                    ),
                    refs=list(entry.ref) or ["LAN-ST-9.6"],
                    event_key=f"plan_missing:{contract.pk}:{today.isoformat()}",
                )
        except IntegrityError:
            continue  # another worker sent today's list first
        sent.append(report)
    return sent
