"""The five shipped rulebooks: complete, traceable, and true to their specifications.

Each spot check names the requirement it proves and checks that the entry
cites it, so the number can be traced back to its clause.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from homecare.domain import rulebook as rulebook_module
from homecare.domain.rulebook import (
    RULEBOOK_DIR,
    SCHEMA,
    SLUGS,
    SOURCES,
    RulebookError,
    available_versions,
    load_rulebook,
)

REQUIREMENTS = Path(__file__).resolve().parents[2] / "docs" / "requirements.md"
REQUIREMENTS_TEXT = REQUIREMENTS.read_text(encoding="utf-8")
KNOWN_IDS = set(re.findall(r"^\| ([A-Z][A-Za-z0-9.-]+) \|", REQUIREMENTS_TEXT, re.MULTILINE))
ID_IN_TEXT = re.compile(
    r"\b(?:LAN-ST|LAN-HC|KENT|DERBY|ELOTH)-(?:[A-Z]+\d*(?:-[A-Z]+)?|\d+(?:\.\d+)*[A-Za-z]?)\b"
)
PREFIX = {slug: slug.upper() + "-" for slug in SLUGS}
KENT_TEXT = (RULEBOOK_DIR / "kent" / "v1.toml").read_text(encoding="utf-8")


@pytest.fixture
def rulebook_dir(tmp_path, monkeypatch):
    """Point the loader at an empty folder, with a fresh cache either side."""
    load_rulebook.cache_clear()
    monkeypatch.setattr(rulebook_module, "RULEBOOK_DIR", tmp_path)
    yield tmp_path
    load_rulebook.cache_clear()


def test_requirements_catalogue_was_read():
    assert {"KENT-3.9.4", "LAN-ST-4.5", "DERBY-APP4", "ELOTH-3.13", "KENT-GLOSS-RT"} <= KNOWN_IDS


def test_rulebook_folder_is_a_package_so_the_data_ships():
    assert (RULEBOOK_DIR / "__init__.py").is_file()
    assert sorted(
        path.name for path in RULEBOOK_DIR.iterdir() if path.is_dir() and path.name in SLUGS
    ) == sorted(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_rulebook_loads_with_every_schema_key(slug):
    rulebook = load_rulebook(slug)
    assert (rulebook.slug, rulebook.version) == (slug, 1)
    assert list(rulebook.entries) == list(SCHEMA)
    assert rulebook.spec_file in REQUIREMENTS_TEXT
    for key, entry in rulebook.entries.items():
        assert entry.key == key
        assert entry.unit in SCHEMA[key].units
        assert isinstance(entry.value, SCHEMA[key].value_type), key
        assert entry.source in SOURCES


@pytest.mark.parametrize("slug", SLUGS)
def test_every_ref_is_a_real_requirement_of_this_specification(slug):
    for entry in load_rulebook(slug).entries.values():
        for ref in entry.ref:
            assert ref in KNOWN_IDS, (slug, entry.key, ref)
            assert ref.startswith(PREFIX[slug]), (slug, entry.key, ref)


@pytest.mark.parametrize("slug", SLUGS)
def test_ids_quoted_in_notes_and_clauses_are_real(slug):
    for entry in load_rulebook(slug).entries.values():
        for text in (entry.note, entry.clause):
            for found in ID_IN_TEXT.findall(text):
                assert found in KNOWN_IDS, (slug, entry.key, found)


@pytest.mark.parametrize("slug", SLUGS)
def test_spec_entries_quote_and_cite_defaults_explain(slug):
    for entry in load_rulebook(slug).entries.values():
        if entry.source == "spec":
            assert entry.ref and entry.clause, entry.key
        else:
            assert len(entry.note) > 20, entry.key


@pytest.mark.parametrize("slug", SLUGS)
def test_numbers_hang_together(slug):
    rb = load_rulebook(slug)
    assert rb.minutes("visit.late_threshold") < rb.minutes("visit.missed_threshold")
    assert rb.value("visit.overnight_visit_min") <= rb.value("visit.overnight_visit_max")
    assert rb.value("continuity.team_target") <= rb.value("continuity.team_max")
    assert rb.value("operating_hours.start") < rb.value("operating_hours.end")
    assert rb.value("billing.day_hours.start") < rb.value("billing.day_hours.end")
    units = [rb.value(f"billing.unit_{n}_percent") for n in (30, 45, 60)]
    assert units == sorted(units)
    assert rb.value("billing.unit_60_percent") == 100
    assert (rb.value("referral.quality_gate.min_grade") == 0) == (
        rb.value("referral.quality_gate.inspections") == 0
    )
    assert rb.value("referral.quality_gate.personal_budget_grade") >= rb.value(
        "referral.quality_gate.min_grade"
    )
    if rb.value("billing.hospital_hold") == 0:
        assert rb.value("billing.hospital_hold_rate") == 0


def value_of(slug: str, key: str) -> tuple[object, str]:
    entry = load_rulebook(slug).entry(key)
    return entry.value, entry.unit


# (requirement, slug, key, value, unit): each row proves the clause it names.
SPEC_VALUES = [
    ("LAN-ST-4.5", "lan-st", "referral.response.planned", 2, "hours"),
    ("LAN-ST-4.5", "lan-st", "referral.response.urgent", 2, "hours"),
    ("LAN-ST-4.5", "lan-st", "referral.response.clock", "operating_hours", "choice"),
    ("LAN-ST-4.19", "lan-st", "operating_hours.days", "every_day", "choice"),
    ("LAN-ST-4.1", "lan-st", "referral.allocation", "boundary", "choice"),
    ("LAN-ST-4.1", "lan-st", "billing.model", "block", "choice"),
    ("LAN-ST-4.10", "lan-st", "visit.overnight_block_min", 8, "hours"),
    ("LAN-ST-4.10", "lan-st", "visit.day_block_min", 2, "hours"),
    ("LAN-ST-4.11", "lan-st", "visit.overnight_visit_min", 30, "minutes"),
    ("LAN-ST-4.11", "lan-st", "visit.overnight_visit_max", 60, "minutes"),
    ("LAN-ST-4.13", "lan-st", "package.max_length", 6, "weeks"),
    ("LAN-ST-4.14", "lan-st", "hospital.a_and_e_hold", 3, "days"),
    ("LAN-ST-4.14", "lan-st", "hospital.admission_ceases_service", True, "bool"),
    ("LAN-ST-4.16", "lan-st", "block.increase_notice", 6, "weeks"),
    ("LAN-ST-4.16", "lan-st", "block.decrease_notice", 4, "weeks"),
    ("LAN-ST-4.17", "lan-st", "billing.carry_forward_cap", Decimal(20), "percent"),
    ("LAN-ST-4.17", "lan-st", "billing.period", "four_weeks", "choice"),
    ("LAN-ST-5.7", "lan-st", "plan.due_after_start", 5, "days"),
    ("LAN-ST-6.4", "lan-st", "change.report_within", 24, "hours"),
    ("LAN-ST-9.5", "lan-st", "block.usage_alert", Decimal(80), "percent"),
    ("LAN-HC-3.2", "lan-hc", "referral.publish", "daily_batch", "choice"),
    ("LAN-HC-3.6", "lan-hc", "referral.response.planned", 72, "hours"),
    ("LAN-HC-3.7", "lan-hc", "referral.start.after_window.planned", 5, "days"),
    ("LAN-HC-3.8", "lan-hc", "referral.response.hospital_discharge", 24, "hours"),
    ("LAN-HC-3.9", "lan-hc", "referral.start.after_window.hospital_discharge", 24, "hours"),
    ("LAN-HC-3.10", "lan-hc", "billing.assessment_paid_max", 60, "minutes"),
    ("LAN-HC-4.1", "lan-hc", "visit.travel_allowance", 10, "minutes"),
    ("LAN-HC-5.4", "lan-hc", "change.increase_limit_daily", 60, "minutes"),
    ("LAN-HC-5.4", "lan-hc", "change.increase_limit_weekly", 7, "hours"),
    ("LAN-HC-6.1", "lan-hc", "billing.hospital_hold", 72, "hours"),
    ("LAN-HC-6.1", "lan-hc", "billing.hospital_hold_rate", Decimal(100), "percent"),
    ("LAN-HC-6.2", "lan-hc", "notify.hospital_admission", True, "bool"),
    ("LAN-HC-6.5", "lan-hc", "referral.response.restart", 2, "hours"),
    ("KENT-3.2.7", "kent", "referral.split_allowed", True, "bool"),
    ("KENT-3.3.7", "kent", "visit.double_handed_arrival_together", True, "bool"),
    ("KENT-3.4.1", "kent", "billing.bank_holiday_uplift", Decimal(0), "percent"),
    ("KENT-3.6.5", "kent", "plan.due_by_visit", 2, "count"),
    ("KENT-3.6.8", "kent", "referral.allocation", "cluster_with_neighbours", "choice"),
    ("KENT-3.6.10", "kent", "records.review_interval", 1, "months"),
    ("KENT-3.7.2", "kent", "billing.model", "kent_units", "choice"),
    ("KENT-3.7.2", "kent", "billing.unit_30_percent", Decimal(60), "percent"),
    ("KENT-3.7.2", "kent", "billing.unit_45_percent", Decimal(80), "percent"),
    ("KENT-3.7.2", "kent", "billing.unit_60_percent", Decimal(100), "percent"),
    ("KENT-3.7.2", "kent", "billing.day_hours.start", time(7), "time"),
    ("KENT-3.7.2", "kent", "billing.day_hours.end", time(22), "time"),
    ("KENT-3.7.3", "kent", "billing.over_hour", "pro_rata", "choice"),
    ("KENT-3.7.4", "kent", "billing.carry_forward_cap", Decimal(0), "percent"),
    ("KENT-3.7.4", "kent", "billing.period", "week", "choice"),
    ("KENT-3.7.5", "kent", "billing.night_session", 9, "hours"),
    ("KENT-3.8.1", "kent", "notify.refusals_in_a_row", 3, "count"),
    ("KENT-3.9.4", "kent", "visit.late_threshold", 45, "minutes"),
    ("KENT-3.9.5", "kent", "visit.missed_threshold", 120, "minutes"),
    ("KENT-3.10.1", "kent", "notice.handback", 10, "working_days"),
    ("KENT-3.11.1", "kent", "review.first", 8, "weeks"),
    ("KENT-3.11.2", "kent", "review.statutory", 12, "months"),
    ("KENT-3.11.3", "kent", "review.pprif_before", 2, "weeks"),
    ("KENT-5.1.4", "kent", "notify.inspection_within", 24, "hours"),
    ("KENT-5.2.4", "kent", "referral.sanction_stop_level", 3, "count"),
    ("KENT-5.2.5", "kent", "sanction.action_plan_within", 7, "days"),
    ("KENT-5.2.7", "kent", "sanction.episodes_limit", 3, "count"),
    ("KENT-5.2.7", "kent", "sanction.episodes_window", 12, "months"),
    ("KENT-5.6.1", "kent", "gifts.max_value", Decimal("5.00"), "gbp"),
    ("KENT-5.7.1", "kent", "training.safeguarding_refresh", 2, "years"),
    ("KENT-5.7.1", "kent", "training.dbs_refresh", 3, "years"),
    ("KENT-6.1.3", "kent", "supervision.interval", 3, "months"),
    ("KENT-6.2.2", "kent", "training.induction_within", 12, "weeks"),
    ("KENT-6.2.5", "kent", "training.qualification_within", 1, "years"),
    ("KENT-8.1", "kent", "continuity.team_target", 4, "count"),
    ("KENT-8.1", "kent", "continuity.team_max", 8, "count"),
    ("KENT-8.3.2", "kent", "workforce.id_card_max", 36, "months"),
    ("KENT-8.4.6", "kent", "notify.emergency_within", 12, "hours"),
    ("KENT-8.4.7", "kent", "change.emergency_extra", 60, "minutes"),
    ("KENT-8.5.1", "kent", "workforce.licence_check_interval", 6, "months"),
    ("DERBY-LOTS", "derby", "referral.allocation", "lot", "choice"),
    ("DERBY-ER", "derby", "emergency_response.target", 10, "minutes"),
    ("DERBY-ER", "derby", "emergency_response.target_share", Decimal(90), "percent"),
    ("DERBY-3.5", "derby", "change.increase_limit_daily", 0, "minutes"),
    ("DERBY-3.5A", "derby", "billing.night_session", 9, "hours"),
    ("DERBY-4.3", "derby", "referral.quality_gate.cqc_rating", "good", "choice"),
    ("DERBY-4.3", "derby", "notify.rating_fall_within", 2, "working_days"),
    ("DERBY-6.1", "derby", "training.medication_refresh", 2, "years"),
    ("DERBY-6.1", "derby", "training.first_aid_refresh", 3, "years"),
    ("DERBY-6.1", "derby", "training.challenging_behaviour_refresh", 1, "years"),
    ("DERBY-6.1A", "derby", "supervision.interval", 1, "months"),
    ("DERBY-7.4", "derby", "notice.handback", 180, "days"),
    ("DERBY-APP4", "derby", "billing.model", "quarterly_block", "choice"),
    ("DERBY-APP4", "derby", "billing.period", "quarter", "choice"),
    ("DERBY-APP4", "derby", "block.reoffer_variance", Decimal(5), "percent"),
    ("DERBY-APP4", "derby", "block.review_window", 6, "months"),
    ("ELOTH-3.6a", "eloth", "billing.model", "hourly", "choice"),
    ("ELOTH-3.11", "eloth", "referral.allocation", "county_wide", "choice"),
    ("ELOTH-3.13", "eloth", "referral.quality_gate.min_grade", 3, "grade"),
    ("ELOTH-3.13", "eloth", "referral.quality_gate.inspections", 2, "count"),
    ("ELOTH-3.13", "eloth", "referral.quality_gate.personal_budget_grade", 4, "grade"),
]


@pytest.mark.parametrize(
    ("requirement", "slug", "key", "value", "unit"),
    [pytest.param(*row, id=f"{row[0]} {row[2]}") for row in SPEC_VALUES],
)
def test_spec_value(requirement, slug, key, value, unit):
    """Each row: the specification sets this number, and the entry cites the clause."""
    entry = load_rulebook(slug).entry(key)
    assert (entry.value, entry.unit) == (value, unit)
    assert entry.source == "spec"
    assert requirement in entry.ref


def test_nations():
    """Lancashire, Kent and Derby are in England; East Lothian in Scotland (bank holidays differ)."""
    assert {slug: load_rulebook(slug).nation for slug in SLUGS} == {
        "lan-st": "england",
        "lan-hc": "england",
        "kent": "england",
        "derby": "england",
        "eloth": "scotland",
    }


def test_only_lancashire_homecare_batches_referrals():
    """LAN-HC-3.2: circulated once a day; everyone else publishes at once."""
    publish = {slug: load_rulebook(slug).value("referral.publish") for slug in SLUGS}
    assert publish == {slug: "daily_batch" if slug == "lan-hc" else "immediate" for slug in SLUGS}


def test_allocation_by_council():
    """LAN-ST-4.1 boundaries, KENT-3.6.8 clusters, DERBY-LOTS lots, ELOTH-3.11 county-wide."""
    allocation = {slug: load_rulebook(slug).value("referral.allocation") for slug in SLUGS}
    assert allocation == {
        "lan-st": "boundary",
        "lan-hc": "boundary",
        "kent": "cluster_with_neighbours",
        "derby": "lot",
        "eloth": "county_wide",
    }


def test_kent_late_threshold_is_the_labelled_default_elsewhere():
    """KENT-3.9.4: the other specifications don't define a late call, so Kent's 45 minutes
    is used, as a homecare default that says where it comes from."""
    for slug in ("lan-st", "lan-hc", "derby", "eloth"):
        entry = load_rulebook(slug).entry("visit.late_threshold")
        assert (entry.value, entry.unit, entry.source) == (45, "minutes", "homecare-default")
        assert "KENT-3.9.4" in entry.note


def test_lan_st_operating_hours_are_a_labelled_default():
    """LAN-ST-4.5 runs its clock 'during operating hours' without defining them."""
    rb = load_rulebook("lan-st")
    start, end = rb.entry("operating_hours.start"), rb.entry("operating_hours.end")
    assert (start.value, end.value) == (time(8), time(18))
    assert start.source == end.source == "homecare-default"
    assert "LAN-ST-4.5" in start.ref
    assert "never defines" in start.note


def test_kent_never_rolls_hours_over_and_lancashire_carries_a_fifth():
    """KENT-3.7.4 under-delivered hours never rolled over; LAN-ST-4.17 capped at 20%."""
    assert load_rulebook("kent").value("billing.carry_forward_cap") == 0
    assert load_rulebook("lan-st").value("billing.carry_forward_cap") == 20


def test_kent_response_time_is_defined_but_not_numbered():
    """KENT-GLOSS-RT: the clock is defined, the number is a homecare default."""
    entry = load_rulebook("kent").entry("referral.response.planned")
    assert entry.source == "homecare-default"
    assert entry.ref == ("KENT-GLOSS-RT",)
    assert "LAN-HC-3.6" in entry.note


# -- loading -----------------------------------------------------------------


def test_every_rulebook_has_version_1():
    assert [available_versions(slug) for slug in SLUGS] == [[1]] * len(SLUGS)


def test_unknown_slug_is_an_error():
    with pytest.raises(RulebookError) as caught:
        load_rulebook("surrey")
    assert caught.value.file == "surrey"
    assert "unknown rulebook" in str(caught.value)
    with pytest.raises(RulebookError):
        available_versions("../kent")


def test_unknown_version_is_an_error():
    with pytest.raises(RulebookError) as caught:
        load_rulebook("kent", 99)
    assert caught.value.file == "kent/v99.toml"
    assert "available: 1" in caught.value.message


@pytest.mark.parametrize("version", [0, -1, "1", True, 1.0])
def test_version_must_be_a_whole_number(version):
    with pytest.raises(RulebookError):
        load_rulebook("kent", version)


def test_loading_is_cached_and_none_means_latest():
    assert load_rulebook("kent") is load_rulebook("kent", 1) is load_rulebook("kent", version=1)


def test_latest_version_is_the_highest_file(rulebook_dir):
    (rulebook_dir / "kent").mkdir()
    for version in (1, 2, 10):
        text = KENT_TEXT.replace("version = 1", f"version = {version}", 1)
        (rulebook_dir / "kent" / f"v{version}.toml").write_text(text, encoding="utf-8")
    (rulebook_dir / "kent" / "draft.toml").write_text("", encoding="utf-8")
    assert available_versions("kent") == [1, 2, 10]
    assert load_rulebook("kent").version == 10
    assert load_rulebook("kent").filename == "kent/v10.toml"


def test_file_must_agree_with_its_place(rulebook_dir):
    (rulebook_dir / "derby").mkdir()
    (rulebook_dir / "derby" / "v1.toml").write_text(KENT_TEXT, encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook("derby", 1)
    assert (caught.value.file, caught.value.key) == ("derby/v1.toml", "rulebook.slug")
    (rulebook_dir / "kent").mkdir()
    (rulebook_dir / "kent" / "v2.toml").write_text(KENT_TEXT, encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook("kent", 2)
    assert (caught.value.file, caught.value.key) == ("kent/v2.toml", "rulebook.version")


def test_no_versions_is_an_error(rulebook_dir):
    with pytest.raises(RulebookError) as caught:
        load_rulebook("eloth")
    assert "no rulebook versions" in str(caught.value)
