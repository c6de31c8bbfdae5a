"""Outsider cases for the journey pages (see tests/test_outsiders_get_404.py)."""

from datetime import time, timedelta

from django.utils import timezone

DETAIL_ROUTES = {
    "journey:package": ("journey_package", {}, "get"),
    "journey:change_new": ("journey_package", {}, "get"),
    "journey:admit": ("journey_package", {}, "get"),
    "journey:handback_new": ("journey_package", {}, "get"),
    "journey:d2a_start": ("kent_package", {}, "post"),
    "journey:change": ("change", {}, "get"),
    "journey:change_decide": ("change", {}, "post"),
    "journey:change_reverse": ("change", {}, "post"),
    "journey:stay": ("stay", {}, "get"),
    "journey:stay_discharge": ("stay", {}, "post"),
    "journey:stay_restart": ("stay", {}, "post"),
    "journey:handback": ("handback", {}, "get"),
    "journey:handback_complete": ("handback", {}, "post"),
    "journey:handback_withdraw": ("handback", {}, "post"),
    "journey:d2a": ("d2a", {}, "get"),
    "journey:d2a_extend": ("d2a", {}, "post"),
    "journey:d2a_end": ("d2a", {}, "post"),
}
LIST_ROUTES = {
    "journey:changes": "Entwistle-Quayle",
    "journey:stays": "Entwistle-Quayle",
    "journey:handbacks": "Entwistle-Quayle",
}


def _package(everything, rulebook="lan-hc"):
    from homecare.packages import services as package_services
    from tests import factories as f

    contract = everything["contract"]
    if rulebook != contract.rulebook:
        contract = f.ContractFactory(
            organisation=everything["council"],
            provider=everything["provider"],
            areas=[everything["area"]],
            rulebook=rulebook,
        )
    package = f.CarePackageFactory(
        contract=contract,
        individual=everything["person"],
        start_date=timezone.localdate() - timedelta(days=7),
    )
    package_services.pattern_entry_add(
        by=everything["coordinator"],
        package=package,
        weekdays=list(range(7)),
        start_time=time(12, 0),
        end_time=time(12, 30),
    )
    return package


def build(everything) -> dict:
    from homecare.journey import changes, endings, hospital

    by = everything["coordinator"]
    package = _package(everything)
    change = changes.package_change_propose(
        by=by,
        package=package,
        kind="increase",
        operation="add",
        weekdays=[2],
        start_time=time(17, 0),
        end_time=time(17, 30),
        starts_on=timezone.localdate() + timedelta(days=1),
        agreed_with="Margaret",
        reason="Tea-time help",
        risk_assessed=True,
    )
    handback = endings.handback_give_notice(
        by=by,
        package=package,
        last_day=timezone.localdate() + timedelta(days=40),
        reason="No staff in the area",
    )
    in_hospital = _package(everything)
    stay = hospital.stay_admit(by=by, package=in_hospital, place="ward", admitted_at=timezone.now())
    kent = _package(everything, "kent")
    d2a = endings.d2a_start(by=by, package=kent, starts_on=timezone.localdate())
    return {
        "journey_package": package,
        "kent_package": kent,
        "change": change,
        "handback": handback,
        "stay": stay,
        "d2a": d2a,
    }
