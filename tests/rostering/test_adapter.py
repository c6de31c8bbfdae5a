"""The day as the optimizer sees it, read from the database (issue 5)."""

from homecare.rostering.day import load_day
from homecare.rostering.optimise import build_problem


def test_a_day_reads_visits_workers_skills_and_usual_workers(rota):
    """KENT-8.1: the trusted team comes from who visited the person before."""
    day = load_day(rota["provider"], rota["tomorrow"])
    by_person = {v.person.split()[0]: v for v in day.visits}
    assert set(by_person) >= {"Margaret", "Harold", "Iris", "Jack", "Kath"}
    iris = by_person["Iris"]
    assert iris.workers_required == 2 and iris.skills == {"hoist"}
    assert iris.start == 11 * 60 and iris.minutes == 45 and iris.window == 30
    harold = by_person["Harold"]
    assert harold.preferred_gender == "female"
    assert harold.usual == (str(rota["care_worker"].pk),)
    assert harold.team_limit == 4  # lan-hc's continuity.team_target
    margaret = by_person["Margaret"]
    assert margaret.workers == (str(rota["care_worker"].pk),)
    workers = {w.name.split()[0]: w for w in day.workers}
    assert workers["Chloe"].skills == {"hoist"}
    assert workers["Ben"].gender == "male"
    assert workers["Ben"].shifts == [(7 * 60, 21 * 60)]
    assert workers["Eve"].shifts == []  # no availability tomorrow


def test_the_problem_leaves_out_no_visit_without_saying_why(rota):
    day = load_day(rota["provider"], rota["tomorrow"])
    problem, kept_out, _fixed, notes = build_problem(day)
    assert len(problem.visits) + len(kept_out) == len(day.visits)
    assert not kept_out
    assert "Eve Worker has no availability on this day." in notes
    eve = next(w for w in problem.workers if w.id == str(rota["workers"]["eve"].pk))
    assert eve.unavailable
    iris = next(v for v in problem.visits if v.workers_required == 2)
    assert iris.earliest == 10 * 60 + 30 and iris.latest == 11 * 60 + 30
    assert iris.skills == {"hoist"}
