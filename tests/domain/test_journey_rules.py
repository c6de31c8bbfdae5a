"""The journey's rules in plain Python: change limits and checklists, hospital
holds, hand-back notice and Discharge to Assess."""

from datetime import UTC, date, datetime, timedelta

import pytest

from homecare.domain import journey as j
from homecare.domain.journey import ChangeFacts, ChangeKind, ChangeRules, Place

TODAY = date(2026, 11, 30)  # a Monday
LAN_HC = ChangeRules(
    60,
    7 * 60,
    ("LAN-HC-5.4",),
    "any",
    ("LAN-HC-5.3",),
    "council",
    ("LAN-HC-5.3",),
    True,
    ("KENT-3.3.7",),
)
LAN_ST = ChangeRules(
    0,
    0,
    ("LAN-ST-6.1",),
    "checklist",
    ("LAN-ST-6.1",),
    "checklist",
    ("LAN-ST-6.5",),
    True,
    ("KENT-3.3.7",),
)
DERBY = ChangeRules(
    0, 0, ("DERBY-3.5",), "person_declines", ("DERBY-3.5",), "council", (), True, ()
)
WEEK = (60,) * 7


def facts(after, declared, before=WEEK, **kw):
    base = dict(
        starts_on=TODAY,
        agreed_with="Mrs Entwistle and her daughter",
        reason="Needs help with lunch",
        risk_assessed=True,
        person_agrees=True,
    )
    base.update(kw)
    return ChangeFacts(declared=declared, before=before, after=tuple(after), **base)


def test_an_increase_within_an_hour_a_day_goes_ahead():
    """LAN-HC-5.4: up to 1 hour a day without approval."""
    verdict = j.assess_change(facts((120,) * 7, ChangeKind.INCREASE), LAN_HC, today=TODAY)
    assert not verdict.refused and not verdict.needs_council


def test_an_increase_beyond_an_hour_a_day_goes_to_the_council_with_the_clause():
    """LAN-HC-5.4: more than 1 hour on a day needs the council."""
    after = (135, 60, 60, 60, 60, 60, 60)
    verdict = j.assess_change(facts(after, ChangeKind.INCREASE), LAN_HC, today=TODAY)
    assert verdict.needs_council
    assert "1 h 15 min on one day" in verdict.to_council[0].text()
    assert "LAN-HC-5.4" in verdict.to_council[0].text()


def test_more_than_seven_hours_a_week_goes_to_the_council():
    """LAN-HC-5.4: 7 hours a week at most, whatever the daily amount."""
    rules = ChangeRules(90, 7 * 60, ("LAN-HC-5.4",), "any", (), "council", (), True, ())
    verdict = j.assess_change(facts((120,) * 7, ChangeKind.INCREASE), rules, today=TODAY)
    assert not verdict.needs_council  # 60 a day, 7 hours a week: at the limit
    verdict = j.assess_change(facts((150,) * 7, ChangeKind.INCREASE), rules, today=TODAY)
    assert verdict.needs_council and "7 hours a week" in verdict.to_council[0].message


def test_a_reduction_to_nothing_presented_as_a_reduction_is_refused():
    """LAN-HC-5.3: a reduction may not cease the package."""
    verdict = j.assess_change(facts((0,) * 7, ChangeKind.REDUCTION), LAN_HC, today=TODAY)
    assert verdict.refused
    assert verdict.actual == ChangeKind.CESSATION
    assert "LAN-HC-5.3" in verdict.refusals[0].text()


def test_a_change_dated_in_the_past_is_refused():
    """LAN-HC-5.5: the change is agreed with a start date."""
    past = facts((30,) * 7, ChangeKind.REDUCTION, starts_on=TODAY - timedelta(days=1))
    verdict = j.assess_change(past, LAN_HC, today=TODAY)
    assert [r.field for r in verdict.refusals] == ["starts_on"]


def test_the_evidence_of_agreement_is_required():
    """LAN-HC-5.5: agreed with the person, a reason, risk assessments done."""
    bare = facts((30,) * 7, ChangeKind.REDUCTION, agreed_with="", reason=" ", risk_assessed=False)
    fields = {r.field for r in j.assess_change(bare, LAN_HC, today=TODAY).refusals}
    assert fields == {"agreed_with", "reason", "risk_assessed"}


def test_any_reduction_goes_ahead_under_lancashire_homecare():
    """LAN-HC-5.3."""
    verdict = j.assess_change(facts((30,) * 7, ChangeKind.REDUCTION), LAN_HC, today=TODAY)
    assert not verdict.refused and not verdict.needs_council


def test_a_short_term_reduction_with_a_concern_is_a_request():
    """LAN-ST-6.1: reduce without permission only when the checklist is clear."""
    clear = facts((30,) * 7, ChangeKind.REDUCTION)
    assert not j.assess_change(clear, LAN_ST, today=TODAY).needs_council
    worried = facts((30,) * 7, ChangeKind.REDUCTION, concerns=frozenset({"complex_health"}))
    verdict = j.assess_change(worried, LAN_ST, today=TODAY)
    assert verdict.needs_council and "Complex health" in verdict.to_council[0].message


def test_a_short_term_cessation_with_a_safeguarding_alert_is_a_request():
    """LAN-ST-6.5: no cessation without permission during an active safeguarding alert."""
    ending = facts(
        (0,) * 7, ChangeKind.CESSATION, goals_met=True, concerns=frozenset({"safeguarding_alert"})
    )
    verdict = j.assess_change(ending, LAN_ST, today=TODAY)
    assert verdict.needs_council
    assert "safeguarding" in verdict.to_council[0].message
    assert "LAN-ST-6.5" in verdict.to_council[0].text()
    clear = facts((0,) * 7, ChangeKind.CESSATION, goals_met=True)
    assert not j.assess_change(clear, LAN_ST, today=TODAY).needs_council


def test_a_short_term_cessation_before_goals_are_met_is_a_request():
    """LAN-ST-6.5: goals met."""
    verdict = j.assess_change(facts((0,) * 7, ChangeKind.CESSATION), LAN_ST, today=TODAY)
    assert verdict.needs_council


def test_short_term_care_cannot_be_increased_by_the_provider():
    verdict = j.assess_change(facts((70,) * 7, ChangeKind.INCREASE), LAN_ST, today=TODAY)
    assert verdict.needs_council


def test_derby_hours_change_only_with_the_council_unless_the_person_declines_them():
    """DERBY-3.5."""
    asked = facts((30,) * 7, ChangeKind.REDUCTION, person_agrees=False)
    assert j.assess_change(asked, DERBY, today=TODAY).needs_council
    declined = facts((30,) * 7, ChangeKind.REDUCTION, person_agrees=True)
    assert not j.assess_change(declined, DERBY, today=TODAY).needs_council
    assert j.assess_change(facts((65,) * 7, ChangeKind.INCREASE), DERBY, today=TODAY).needs_council


def test_single_to_double_handed_needs_an_ot_assessment_and_a_plan_review():
    """KENT-3.3.7."""
    doubled = facts(
        (60,) * 7, ChangeKind.HANDEDNESS, before=(30,) * 7, workers_before=1, workers_after=2
    )
    verdict = j.assess_change(doubled, LAN_HC, today=TODAY)
    assert verdict.refused and "KENT-3.3.7" in verdict.refusals[0].text()
    assessed = facts(
        (60,) * 7,
        ChangeKind.HANDEDNESS,
        before=(30,) * 7,
        workers_before=1,
        workers_after=2,
        ot_assessed=True,
        plan_reviewed=True,
    )
    assert not j.assess_change(assessed, LAN_HC, today=TODAY).refused


def test_a_declared_kind_that_does_not_match_is_refused():
    verdict = j.assess_change(facts((90,) * 7, ChangeKind.REDUCTION), LAN_HC, today=TODAY)
    assert verdict.refused and verdict.refusals[0].field == "declared"


ADMITTED = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_a_long_term_package_is_held_72_hours_and_paid():
    """LAN-HC-6.1: held for 72 hours from admission, paid at 100%, then suspended."""
    plan = j.hold_plan(
        place=Place.WARD,
        admitted_at=ADMITTED,
        admission_ceases_service=False,
        hold_minutes=72 * 60,
        paid_percent=100,
        a_and_e_minutes=3 * 24 * 60,
    )
    assert plan.action == "hold" and plan.after_hold == "suspend"
    assert plan.hold_until == plan.paid_until == ADMITTED + timedelta(hours=72)
    assert plan.paid_percent == 100


def test_short_term_care_ends_on_a_ward_but_stays_open_three_days_in_a_and_e():
    """LAN-ST-4.14."""
    ward = j.hold_plan(
        place=Place.WARD,
        admitted_at=ADMITTED,
        admission_ceases_service=True,
        hold_minutes=0,
        paid_percent=0,
        a_and_e_minutes=3 * 24 * 60,
    )
    assert ward.action == "cease"
    ae = j.hold_plan(
        place=Place.A_AND_E,
        admitted_at=ADMITTED,
        admission_ceases_service=True,
        hold_minutes=0,
        paid_percent=0,
        a_and_e_minutes=3 * 24 * 60,
    )
    assert (ae.action, ae.after_hold) == ("hold", "cease")
    assert ae.hold_until == ADMITTED + timedelta(days=3)
    assert ae.paid_until == ADMITTED  # nothing is paid


def test_ten_working_days_skip_weekends_and_bank_holidays():
    """KENT-3.10.1: notice given Monday 21 December 2026 runs past Christmas and
    Boxing Day (the substitute holidays 25 and 28 December) and New Year."""
    last = j.earliest_last_day(date(2026, 12, 21), 10, "working_days", "england")
    assert last == date(2027, 1, 7)
    assert j.earliest_last_day(TODAY, 10, "working_days", "england") == date(2026, 12, 14)


def test_too_little_notice_is_refused_with_the_earliest_day():
    """KENT-3.10.1."""
    problem = j.handback_notice_problem(
        given_on=TODAY,
        last_day=date(2026, 12, 11),
        amount=10,
        unit="working_days",
        nation="england",
        refs=("KENT-3.10.1",),
    )
    assert "Monday 14 December 2026" in problem.text() and "KENT-3.10.1" in problem.text()
    assert (
        j.handback_notice_problem(
            given_on=TODAY,
            last_day=date(2026, 12, 14),
            amount=10,
            unit="working_days",
            nation="england",
            refs=(),
        )
        is None
    )


def test_calendar_day_notice_counts_every_day():
    """DERBY-7.4: 180 calendar days."""
    assert j.earliest_last_day(TODAY, 180, "days", "england") == TODAY + timedelta(days=180)


def test_the_handover_checklist_names_what_is_missing():
    """KENT-3.10.2, LAN-ST-4.26."""
    missing = j.handover_missing({"communications_record"})
    assert [m.field for m in missing] == ["action_plan", "onward_needs"]
    assert "LAN-ST-4.26" in missing[1].text()


@pytest.mark.parametrize("extended,last", [(False, date(2026, 12, 2)), (True, date(2026, 12, 4))])
def test_discharge_to_assess_runs_three_days_plus_two(extended, last):
    """KENT-2.1.8."""
    assert j.d2a_end(TODAY, 3, 2, extended) == last
