"""The HHCRSP loader and independent validator against the published reference solutions.

The data lives outside the repository (shared/benchmarks/hhcrsp); the tests
skip, saying so, where it is absent.
"""

import json

import pytest

from benchmarks.hhcrsp.check import check
from benchmarks.hhcrsp.data import (
    InstanceError,
    bks_table,
    check_instance,
    data_dir,
    read_json,
    to_json,
    to_problem,
)
from homecare.domain.rostering import solve, validate

FOLDER = data_dir()
needs_data = pytest.mark.skipif(FOLDER is None, reason="HHCRSP data folder not found")


@needs_data
def test_toy_reference_solution_costs_111_333():
    inst = read_json(FOLDER / "instances/toy/toy.json")
    res = check(inst, read_json(FOLDER / "solutions/toy/sol_toy_optimal.json"))
    assert res.errors == []
    assert (res.distance, res.tardiness, res.max_tardiness) == (334, 0, 0)
    assert res.cost == pytest.approx(111.333, abs=0.001)


@needs_data
def test_every_reference_solution_validates_and_matches_bks():
    table = bks_table(FOLDER)
    assert len(table) == 56
    for name, row in table.items():
        inst = read_json(FOLDER / f"instances/mankowska/{name}.json")
        res = check(inst, read_json(FOLDER / row["solution_file"]))
        assert res.errors == [], name
        assert res.cost == pytest.approx(float(row["bks"]), abs=0.01), name
        assert res.distance == pytest.approx(float(row["bks_distance"]), abs=0.01), name


@needs_data
def test_checker_catches_broken_solutions():
    inst = read_json(FOLDER / "instances/toy/toy.json")
    good = read_json(FOLDER / "solutions/toy/sol_toy_optimal.json")

    def broken(edit):
        sol = json.loads(json.dumps(good))
        edit(sol)
        return check(inst, sol).errors

    def late_partner(sol):  # p4 is simultaneous: move one half
        sol["routes"][1]["locations"][0]["arrival_time"] += 1
        sol["routes"][1]["locations"][0]["departure_time"] += 1

    def wrong_ability(sol):  # c2 cannot do s2
        sol["routes"][1]["locations"][1]["service_id"] = "s2"

    def too_early(sol):
        sol["routes"][2]["locations"][0]["arrival_time"] = 10
        sol["routes"][2]["locations"][0]["departure_time"] = 55

    def dropped(sol):
        sol["routes"][0]["locations"].pop()

    assert any("start at" in e for e in broken(late_partner))
    assert broken(wrong_ability)
    assert any("before" in e for e in broken(too_early))
    assert any("expected once" in e for e in broken(dropped))


def test_a_file_that_is_not_an_instance_gets_reasons(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InstanceError):
        read_json(bad)
    assert check_instance([]) == ["the file does not hold a JSON object"]
    reasons = check_instance(
        {
            "patients": [{"id": "p1", "time_window": [10, 5], "required_caregivers": []}],
            "caregivers": [{"id": "c1", "abilities": ["s1"]}],
            "central_offices": [{"id": "d"}],
            "distances": [[0, -1], [1, 0]],
        }
    )
    assert any("ends before" in r for r in reasons)
    assert any("one or two" in r for r in reasons)
    assert any("[0][1]" in r for r in reasons)
    with pytest.raises(InstanceError):
        to_problem({"patients": []})


@needs_data
def test_the_optimizer_solves_the_toy_to_its_optimum():
    inst = read_json(FOLDER / "instances/toy/toy.json")
    problem = to_problem(inst)
    sol = solve(problem, time_limit_s=2, seed=1)
    assert validate(problem, sol) == []
    res = check(inst, to_json(inst, sol))
    assert res.errors == []
    assert res.cost == pytest.approx(111.333, abs=0.001)


@needs_data
def test_a_ten_client_instance_is_solved_to_its_proven_optimum():
    """A1 (10 clients, 3 workers, 3 double-handed): the MIP-proven optimum 218.199."""
    inst = read_json(FOLDER / "instances/mankowska/InstanzCPLEX_HCSRP_10_1.json")
    problem = to_problem(inst)
    sol = solve(problem, time_limit_s=10, seed=0)
    res = check(inst, to_json(inst, sol))
    assert res.errors == []
    assert res.cost == pytest.approx(218.199, abs=0.01)
