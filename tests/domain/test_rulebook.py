"""The rulebook loader: validation errors, overrides, conversions and display.

Every bad-input test checks that the error names the file and the key, so a
contract manager editing a rulebook knows where to look.
"""

from __future__ import annotations

import ast
import json
import tomllib
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from homecare.domain import rulebook as rulebook_module
from homecare.domain.rulebook import (
    RULEBOOK_DIR,
    SCHEMA,
    Entry,
    EntrySpec,
    Rulebook,
    RulebookError,
    load_rulebook,
    parse_rulebook,
)

FILE = "kent/v1.toml"
KENT_TEXT = (RULEBOOK_DIR / FILE).read_text(encoding="utf-8")


# -- helpers -----------------------------------------------------------------


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def dump(data: dict) -> str:
    """A small TOML writer, enough for rulebooks (tables of scalars and lists)."""
    lines = []
    for table, body in data.items():
        if table == "entries":
            for key, entry in body.items():
                lines.append(f"[entries.{json.dumps(key)}]")
                lines += [f"{name} = {_toml(value)}" for name, value in entry.items()]
        else:
            lines.append(f"[{table}]")
            lines += [f"{name} = {_toml(value)}" for name, value in body.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def data() -> dict:
    """Kent's rulebook as plain data, to break one thing at a time."""
    return tomllib.loads(KENT_TEXT)


def error_for(data: dict) -> RulebookError:
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(dump(data), filename=FILE)
    return caught.value


def assert_names(error: RulebookError, key: str | None) -> None:
    assert error.file == FILE
    assert error.key == key
    assert str(error).startswith(f"{FILE}: {key}: " if key else f"{FILE}: ")


# -- parsing -----------------------------------------------------------------


def test_the_test_writer_round_trips(data):
    assert parse_rulebook(dump(data), filename=FILE) == load_rulebook("kent", 1)


def test_missing_key_names_file_and_key(data):
    del data["entries"]["visit.late_threshold"]
    error = error_for(data)
    assert_names(error, "visit.late_threshold")
    assert "missing" in error.message


def test_misspelt_key_is_named_with_a_suggestion(data):
    data["entries"]["visit.late_threshhold"] = data["entries"].pop("visit.late_threshold")
    error = error_for(data)
    assert_names(error, "visit.late_threshhold")
    assert "unknown key" in error.message
    assert "did you mean 'visit.late_threshold'" in error.message


def test_unknown_key_without_a_near_match(data):
    data["entries"]["visit.teleport_allowance"] = {"value": 1, "unit": "count", "ref": []}
    error = error_for(data)
    assert_names(error, "visit.teleport_allowance")


def test_unquoted_dotted_tables_get_a_helpful_error(data):
    text = KENT_TEXT.replace('[entries."gifts.max_value"]', "[entries.gifts.max_value]")
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(text, filename=FILE)
    assert caught.value.key == "entries.gifts"
    assert "in quotes" in caught.value.message


def test_wrong_unit_is_named(data):
    """KENT-3.9.4: the late threshold is a duration in minutes or hours."""
    data["entries"]["visit.late_threshold"]["unit"] = "mins"
    assert str(error_for(data)) == (
        "kent/v1.toml: visit.late_threshold: unit 'mins' is not one of minutes, hours"
    )


def test_a_real_unit_the_key_does_not_allow(data):
    data["entries"]["visit.late_threshold"]["unit"] = "percent"
    assert_names(error_for(data), "visit.late_threshold")


@pytest.mark.parametrize("value", ["45", 45.0, True, -5, [45]])
def test_wrong_value_type_for_a_duration(data, value):
    data["entries"]["visit.late_threshold"]["value"] = value
    assert_names(error_for(data), "visit.late_threshold")


@pytest.mark.parametrize("value", ["7am", "7:00", "24:00", "07:60", 700, "07:00:00"])
def test_bad_time_string(data, value):
    data["entries"]["billing.day_hours.start"]["value"] = value
    error = error_for(data)
    assert_names(error, "billing.day_hours.start")
    assert "HH:MM" in error.message


def test_toml_local_time_is_accepted_too(data):
    data["entries"]["billing.day_hours.start"]["value"] = "@"
    text = dump(data).replace('value = "@"', "value = 07:00:00")
    assert parse_rulebook(text, filename=FILE).value("billing.day_hours.start") == time(7)


def test_choice_not_allowed(data):
    data["entries"]["referral.allocation"]["value"] = "zones"
    error = error_for(data)
    assert_names(error, "referral.allocation")
    assert "'zones' is not one of boundary, cluster_with_neighbours" in error.message


@pytest.mark.parametrize("value", ["five pounds", 5.5, "5.001", "-1.00", "NaN", True])
def test_money_must_be_a_decimal_amount(data, value):
    data["entries"]["gifts.max_value"]["value"] = value
    assert_names(error_for(data), "gifts.max_value")


@pytest.mark.parametrize("value", [101, "abc", 12.5, -1])
def test_percent_must_be_a_number_from_0_to_100(data, value):
    data["entries"]["billing.carry_forward_cap"]["value"] = value
    assert_names(error_for(data), "billing.carry_forward_cap")


def test_fractional_percent_as_a_string(data):
    data["entries"]["billing.unit_30_percent"]["value"] = "62.5"
    rulebook = parse_rulebook(dump(data), filename=FILE)
    assert rulebook.value("billing.unit_30_percent") == Decimal("62.5")
    assert rulebook.entry("billing.unit_30_percent").display() == "62.5%"


def test_grade_runs_0_to_6(data):
    data["entries"]["referral.quality_gate.min_grade"]["value"] = 7
    assert_names(error_for(data), "referral.quality_gate.min_grade")


def test_spec_entry_needs_a_ref(data):
    data["entries"]["visit.missed_threshold"]["ref"] = []
    error = error_for(data)
    assert_names(error, "visit.missed_threshold")
    assert "ref is empty" in error.message


def test_spec_entry_needs_a_clause(data):
    data["entries"]["visit.missed_threshold"]["clause"] = "  "
    assert_names(error_for(data), "visit.missed_threshold")


def test_homecare_default_needs_a_note(data):
    entry = data["entries"]["operating_hours.start"]
    assert entry["source"] == "homecare-default"
    entry["note"] = ""
    error = error_for(data)
    assert_names(error, "operating_hours.start")
    assert "note" in error.message


@pytest.mark.parametrize("ref", ["3.9.4", "KENT 3.9.4", "kent-3.9.4", "KENT-3.9.4,KENT-3.9.5"])
def test_ref_must_look_like_a_requirement_id(data, ref):
    data["entries"]["visit.missed_threshold"]["ref"] = [ref]
    assert_names(error_for(data), "visit.missed_threshold")


def test_ref_must_be_a_list(data):
    data["entries"]["visit.missed_threshold"]["ref"] = "KENT-3.9.5"
    assert_names(error_for(data), "visit.missed_threshold")


def test_unknown_source(data):
    data["entries"]["visit.missed_threshold"]["source"] = "guess"
    assert_names(error_for(data), "visit.missed_threshold")


def test_unknown_field_in_an_entry(data):
    data["entries"]["visit.missed_threshold"]["refs"] = ["KENT-3.9.5"]
    error = error_for(data)
    assert_names(error, "visit.missed_threshold")
    assert "'refs'" in error.message


def test_entry_without_a_value(data):
    del data["entries"]["visit.missed_threshold"]["value"]
    assert_names(error_for(data), "visit.missed_threshold")


def test_header_nation(data):
    data["rulebook"]["nation"] = "wales"
    assert_names(error_for(data), "rulebook.nation")


def test_header_missing_field(data):
    del data["rulebook"]["council"]
    assert_names(error_for(data), "rulebook.council")


def test_header_version(data):
    data["rulebook"]["version"] = 0
    assert_names(error_for(data), "rulebook.version")


def test_unknown_top_level_table(data):
    data["extras"] = {"a": 1}
    assert_names(error_for(data), "extras")


def test_invalid_toml_names_the_file():
    with pytest.raises(RulebookError) as caught:
        parse_rulebook("[rulebook\n", filename=FILE)
    assert_names(caught.value, None)
    assert "not valid TOML" in caught.value.message


def test_error_is_a_value_error_with_parts():
    error = RulebookError("eloth/v1.toml", "visit.late_threshold", "bad")
    assert isinstance(error, ValueError)
    assert (error.file, error.key, error.message) == (
        "eloth/v1.toml",
        "visit.late_threshold",
        "bad",
    )
    assert str(error) == "eloth/v1.toml: visit.late_threshold: bad"
    assert str(RulebookError("eloth/v1.toml", None, "bad")) == "eloth/v1.toml: bad"


# -- reading -----------------------------------------------------------------


def test_unknown_key_lookup_is_a_key_error_naming_it():
    rulebook = load_rulebook("kent")
    with pytest.raises(KeyError) as caught:
        rulebook.entry("visit.late")
    assert "visit.late" in str(caught.value)
    assert "kent/v1.toml" in str(caught.value)
    with pytest.raises(KeyError):
        rulebook.value("nope")


def test_value_and_minutes():
    """KENT-3.9.4, KENT-3.9.5: late at 45 minutes, missed after 2 hours."""
    kent = load_rulebook("kent")
    assert kent.value("visit.late_threshold") == 45
    assert kent.minutes("visit.late_threshold") == 45
    assert kent.minutes("visit.missed_threshold") == 120


def test_rulebook_minutes_names_file_and_key_for_unconvertible_units():
    """KENT-3.10.1: working days depend on the calendar, so they never become minutes."""
    with pytest.raises(RulebookError) as caught:
        load_rulebook("kent").minutes("notice.handback")
    assert (caught.value.file, caught.value.key) == ("kent/v1.toml", "notice.handback")
    assert "working_days" in caught.value.message


def entry(value: object, unit: str, key: str = "visit.late_threshold") -> Entry:
    return Entry(key=key, value=value, unit=unit, ref=("KENT-3.9.4",), clause="x")


@pytest.mark.parametrize(
    ("value", "unit", "minutes"),
    [
        (45, "minutes", 45),
        (2, "hours", 120),
        (3, "days", 3 * 1440),
        (6, "weeks", 6 * 10080),
        (0, "hours", 0),
    ],
)
def test_entry_minutes(value, unit, minutes):
    assert entry(value, unit).minutes() == minutes


@pytest.mark.parametrize("unit", ["working_days", "months", "years", "count", "percent"])
def test_entry_minutes_refuses_other_units(unit):
    with pytest.raises(RulebookError) as caught:
        entry(1, unit).minutes()
    assert caught.value.key == "visit.late_threshold"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (45, "minutes", "45 minutes"),
        (1, "minutes", "1 minute"),
        (1, "hours", "1 hour"),
        (72, "hours", "72 hours"),
        (10, "working_days", "10 working days"),
        (1, "working_days", "1 working day"),
        (180, "days", "180 days"),
        (36, "months", "36 months"),
        (1, "years", "1 year"),
        (Decimal("20"), "percent", "20%"),
        (Decimal("12.50"), "percent", "12.5%"),
        (Decimal("100"), "percent", "100%"),
        (Decimal("5.00"), "gbp", "£5.00"),
        (Decimal("1234.5"), "gbp", "£1,234.50"),
        (time(7, 0), "time", "07:00"),
        (True, "bool", "Yes"),
        (False, "bool", "No"),
        (3, "grade", "Grade 3"),
        (0, "grade", "No grade needed"),
        (8, "count", "8"),
        ("good", "choice", "Good"),
        ("requires_improvement", "choice", "Requires improvement"),
        ("mon-fri", "choice", "Monday to Friday"),
        ("hello there", "text", "hello there"),
    ],
)
def test_display(value, unit, text):
    assert entry(value, unit).display() == text


def test_display_from_real_rulebooks():
    """DERBY-4.3: Good or Outstanding; KENT-5.6.1: gifts above £5 refused."""
    assert load_rulebook("derby").entry("referral.quality_gate.cqc_rating").display() == "Good"
    assert load_rulebook("kent").entry("gifts.max_value").display() == "£5.00"
    assert load_rulebook("kent").entry("notice.handback").display() == "10 working days"
    assert load_rulebook("lan-st").entry("billing.carry_forward_cap").display() == "20%"


def test_sections_follow_the_schema():
    sections = load_rulebook("lan-hc").sections()
    assert sections[0][0] == "operating_hours"
    keys = [item.key for _, items in sections for item in items]
    assert keys == list(SCHEMA)
    names = [name for name, _ in sections]
    assert len(names) == len(set(names))
    for name, items in sections:
        assert all(item.key.split(".")[0] == name for item in items)
    assert set(names) <= set(rulebook_module.SECTION_TITLES)


# -- overrides ---------------------------------------------------------------


def test_override_replaces_the_value_and_says_who():
    """KENT-3.9.4 as a contract might vary it: late at 30 minutes."""
    base = load_rulebook("kent")
    varied = base.with_overrides({"visit.late_threshold": 30}, source="contract K-1")
    assert varied.value("visit.late_threshold") == 30
    assert varied.entry("visit.late_threshold").overridden_by == "contract K-1"
    assert varied.entry("visit.late_threshold").unit == "minutes"
    assert varied.entry("visit.late_threshold").ref == ("KENT-3.9.4",)
    assert varied.entry("visit.missed_threshold").overridden_by is None


def test_override_does_not_touch_the_cached_rulebook():
    base = load_rulebook("kent")
    base.with_overrides({"visit.late_threshold": 30}, source="contract K-1")
    again = load_rulebook("kent")
    assert again is base
    assert again.value("visit.late_threshold") == 45
    assert again.entry("visit.late_threshold").overridden_by is None


def test_override_values_are_parsed_like_the_file():
    varied = load_rulebook("kent").with_overrides(
        {
            "billing.day_hours.start": "06:30",
            "gifts.max_value": "10.00",
            "billing.unit_30_percent": "62.5",
            "referral.split_allowed": False,
        },
        source="contract K-2",
    )
    assert varied.value("billing.day_hours.start") == time(6, 30)
    assert varied.value("gifts.max_value") == Decimal("10.00")
    assert varied.value("billing.unit_30_percent") == Decimal("62.5")
    assert varied.value("referral.split_allowed") is False


def test_override_of_an_unknown_key_is_refused():
    with pytest.raises(RulebookError) as caught:
        load_rulebook("kent").with_overrides({"visit.late_threshhold": 30}, source="contract K-1")
    assert (caught.value.file, caught.value.key) == ("kent/v1.toml", "visit.late_threshhold")
    assert "contract K-1" in caught.value.message
    assert "did you mean 'visit.late_threshold'" in caught.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("visit.late_threshold", "30"),
        ("visit.late_threshold", 30.0),
        ("visit.late_threshold", {"value": 30, "unit": "hours"}),
        ("billing.day_hours.start", "6:30"),
        ("gifts.max_value", 5.5),
        ("referral.allocation", "zones"),
        ("referral.split_allowed", "yes"),
    ],
)
def test_override_of_the_wrong_type_is_refused(key, value):
    with pytest.raises(RulebookError) as caught:
        load_rulebook("kent").with_overrides({key: value}, source="contract K-1")
    assert (caught.value.file, caught.value.key) == ("kent/v1.toml", key)


def test_no_overrides_is_the_same_rulebook():
    base = load_rulebook("kent")
    assert base.with_overrides({}, source="contract K-1") is base
    assert base.with_overrides(None, source="contract K-1") is base


def test_overrides_must_be_a_mapping():
    with pytest.raises(RulebookError):
        load_rulebook("kent").with_overrides([("visit.late_threshold", 30)], source="x")


# -- schema and module -------------------------------------------------------


def test_schema_units_match_value_types():
    for key, spec in SCHEMA.items():
        assert spec.units, key
        assert spec.description.strip(), key
        assert key == key.strip() and " " not in key


def test_entry_spec_refuses_inconsistent_definitions():
    with pytest.raises(ValueError):
        EntrySpec(("mins",), int, "x")
    with pytest.raises(ValueError):
        EntrySpec(("minutes", "percent"), int, "x")
    with pytest.raises(ValueError):
        EntrySpec(("choice",), str, "x")


def test_rulebook_is_frozen():
    rulebook = load_rulebook("kent")
    assert isinstance(rulebook, Rulebook)
    with pytest.raises(AttributeError):
        rulebook.slug = "derby"  # type: ignore[misc]


def test_domain_modules_do_not_import_django():
    folder = Path(rulebook_module.__file__).parent
    for name in ("rulebook.py", "rulebook_schema.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), (name, names)
