"""Rulebooks: each specification's numbers as data, with the clause behind each.

A rulebook is a TOML file, ``homecare/rulebooks/<slug>/v<n>.toml``::

    [rulebook]
    slug = "kent"
    version = 1
    title = "Care and Support in the Home"
    council = "Kent County Council"
    nation = "england"
    spec_file = "002_7f3d089661e88e6f.txt"

    [entries."visit.late_threshold"]
    value = 45
    unit = "minutes"
    ref = ["KENT-3.9.4"]
    clause = "Late/Early calls are defined as a call starting 45 minutes or more ..."

Each entry has ``value``, ``unit``, ``ref`` (requirement IDs from
``docs/requirements.md``), ``clause`` (the specification's words), and
optionally ``note`` and ``source`` (``"spec"``, the default, or
``"homecare-default"`` where the specification is silent; a default needs a
note saying why this value). Every key in :data:`SCHEMA` must be present;
anything else is an error naming the file and the key.

Code reads the rulebook and never hard-codes a number. Plain Python: no
Django import.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from homecare.domain.rulebook_schema import (
    CHOICE_LABELS,
    MINUTES_PER_UNIT,
    SCHEMA,
    SECTION_TITLES,
    UNITS,
    EntrySpec,
)

__all__ = [
    "CHOICE_LABELS",
    "RULEBOOK_DIR",
    "SCHEMA",
    "SECTION_TITLES",
    "SLUGS",
    "SOURCES",
    "Entry",
    "EntrySpec",
    "Rulebook",
    "RulebookError",
    "available_versions",
    "load_rulebook",
    "parse_rulebook",
]

RULEBOOK_DIR = Path(__file__).resolve().parent.parent / "rulebooks"
SLUGS = ("lan-st", "lan-hc", "kent", "derby", "eloth")
NATIONS = ("england", "scotland")
SOURCES = ("spec", "homecare-default")

_HEADER_FIELDS = ("slug", "version", "title", "council", "nation", "spec_file")
_ENTRY_FIELDS = ("value", "unit", "ref", "clause", "note", "source")
_REF_RE = re.compile(r"^[A-Z][A-Z]*(?:-[A-Z]+)*-[0-9A-Za-z][0-9A-Za-z.-]*$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_VERSION_FILE_RE = re.compile(r"^v([1-9]\d*)\.toml$")
_SINGULAR = {"working_days": "working day"}


class RulebookError(ValueError):
    """A rulebook (or an override of one) is wrong; says which file and key."""

    def __init__(self, file: str, key: str | None, message: str) -> None:
        self.file = file
        self.key = key
        self.message = message
        super().__init__(": ".join(part for part in (file, key, message) if part))


@dataclass(frozen=True)
class Entry:
    """One number (or setting) in a rulebook, with the clause it comes from."""

    key: str
    value: object
    unit: str
    ref: tuple[str, ...]
    clause: str = ""
    note: str = ""
    source: str = "spec"
    overridden_by: str | None = None

    @property
    def spec(self) -> EntrySpec:
        return SCHEMA[self.key]

    def minutes(self) -> int:
        """The value in whole minutes (minutes, hours, days or weeks only)."""
        if self.unit not in MINUTES_PER_UNIT:
            raise RulebookError(
                "", self.key, f"{self.unit} cannot be converted to minutes (value {self.value})"
            )
        return int(self.value) * MINUTES_PER_UNIT[self.unit]

    def display(self) -> str:
        """The value as a person reads it: "45 minutes", "20%", "£5.00", "07:00"."""
        value, unit = self.value, self.unit
        if unit in MINUTES_PER_UNIT or unit in ("working_days", "months", "years"):
            word = _SINGULAR.get(unit, unit[:-1]) if value == 1 else unit.replace("_", " ")
            return f"{value} {word}"
        if unit == "percent":
            return f"{_plain_decimal(value)}%"
        if unit == "gbp":
            return f"£{value:,.2f}"
        if unit == "grade":
            return f"Grade {value}" if value else "No grade needed"
        if unit == "time":
            return value.strftime("%H:%M")
        if unit == "bool":
            return "Yes" if value else "No"
        if unit == "choice":
            return CHOICE_LABELS.get(value, value.replace("_", " ").capitalize())
        return str(value)


@dataclass(frozen=True)
class Rulebook:
    """One version of one specification's rulebook."""

    slug: str
    version: int
    title: str
    council: str
    nation: str
    spec_file: str
    entries: dict[str, Entry]
    filename: str = field(default="", compare=False)

    def entry(self, key: str) -> Entry:
        try:
            return self.entries[key]
        except KeyError:
            raise KeyError(
                f"{self.filename or self.slug}: no rulebook entry {key!r}{_hint(key)}"
            ) from None

    def value(self, key: str) -> object:
        return self.entry(key).value

    def minutes(self, key: str) -> int:
        try:
            return self.entry(key).minutes()
        except RulebookError as error:
            raise RulebookError(self.filename, error.key, error.message) from None

    def with_overrides(self, overrides: Mapping[str, object] | None, *, source: str) -> Rulebook:
        """A copy with some values replaced, each marked ``overridden_by=source``.

        The unit stays the rulebook's; each value is checked as a file's would be.
        The rulebook itself (possibly the cached one) is never changed.
        """
        if not overrides:
            return self
        if not isinstance(overrides, Mapping):
            raise RulebookError(self.filename, None, f"overrides from {source} must be a mapping")
        entries = dict(self.entries)
        for key, raw in overrides.items():
            if key not in entries:
                raise RulebookError(
                    self.filename,
                    str(key),
                    f"unknown key in overrides from {source}{_hint(str(key))}",
                )
            entry = entries[key]
            try:
                value = _coerce(SCHEMA[key], entry.unit, raw)
            except ValueError as error:
                raise RulebookError(
                    self.filename, key, f"override from {source}: {error}"
                ) from None
            entries[key] = replace(entry, value=value, overridden_by=source)
        return replace(self, entries=entries)

    def sections(self) -> list[tuple[str, list[Entry]]]:
        """Entries grouped by the first part of their key, in schema order."""
        groups: dict[str, list[Entry]] = {}
        for key in SCHEMA:
            if key in self.entries:
                groups.setdefault(key.split(".", 1)[0], []).append(self.entries[key])
        return list(groups.items())


def parse_rulebook(text: str, *, filename: str) -> Rulebook:
    """Parse and fully validate a rulebook's TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulebookError(filename, None, f"not valid TOML: {error}") from None
    for name in data:
        if name not in ("rulebook", "entries"):
            raise RulebookError(filename, name, "unknown table (expected [rulebook] and [entries])")
    header = _parse_header(data.get("rulebook"), filename)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, dict):
        raise RulebookError(filename, "entries", 'missing [entries."<key>"] tables')
    entries: dict[str, Entry] = {}
    for key, raw in raw_entries.items():
        entries[key] = _parse_entry(key, raw, filename)
    for key in SCHEMA:
        if key not in entries:
            raise RulebookError(filename, key, "missing: every schema key must be stated")
    ordered = {key: entries[key] for key in SCHEMA}
    return Rulebook(**header, entries=ordered, filename=filename)


def available_versions(slug: str) -> list[int]:
    """The versions of ``slug``'s rulebook on disk, oldest first."""
    _check_slug(slug)
    folder = RULEBOOK_DIR / slug
    if not folder.is_dir():
        return []
    found = (_VERSION_FILE_RE.match(path.name) for path in folder.iterdir())
    return sorted(int(match.group(1)) for match in found if match)


def load_rulebook(slug: str, version: int | None = None) -> Rulebook:
    """The rulebook for ``slug``; ``version=None`` means the latest. Cached."""
    _check_slug(slug)
    if version is None:
        versions = available_versions(slug)
        if not versions:
            raise RulebookError(slug, None, f"no rulebook versions in {RULEBOOK_DIR / slug}")
        version = versions[-1]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RulebookError(slug, None, f"version must be a whole number from 1, not {version!r}")
    return _load(slug, version)


@functools.cache
def _load(slug: str, version: int) -> Rulebook:
    filename = f"{slug}/v{version}.toml"
    path = RULEBOOK_DIR / slug / f"v{version}.toml"
    if not path.is_file():
        known = ", ".join(str(v) for v in available_versions(slug)) or "none"
        raise RulebookError(filename, None, f"no such rulebook version (available: {known})")
    rulebook = parse_rulebook(path.read_text(encoding="utf-8"), filename=filename)
    if rulebook.slug != slug:
        raise RulebookError(
            filename, "rulebook.slug", f"says {rulebook.slug!r}, file is in {slug}/"
        )
    if rulebook.version != version:
        raise RulebookError(
            filename, "rulebook.version", f"says {rulebook.version}, file is v{version}"
        )
    return rulebook


load_rulebook.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


# -- validation helpers ------------------------------------------------------


def _check_slug(slug: object) -> None:
    if slug not in SLUGS:
        raise RulebookError(str(slug), None, f"unknown rulebook (known: {', '.join(SLUGS)})")


def _hint(key: str) -> str:
    close = difflib.get_close_matches(key, SCHEMA, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _parse_header(raw: object, filename: str) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise RulebookError(filename, "rulebook", "missing [rulebook] table")
    for name in raw:
        if name not in _HEADER_FIELDS:
            raise RulebookError(
                filename,
                f"rulebook.{name}",
                f"unknown field (allowed: {', '.join(_HEADER_FIELDS)})",
            )
    header: dict[str, object] = {}
    for name in _HEADER_FIELDS:
        key = f"rulebook.{name}"
        if name not in raw:
            raise RulebookError(filename, key, "missing")
        value = raw[name]
        if name == "version":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise RulebookError(filename, key, f"must be a whole number from 1, not {value!r}")
        elif not isinstance(value, str) or not value.strip():
            raise RulebookError(filename, key, "must be a non-empty string")
        elif name == "nation" and value not in NATIONS:
            raise RulebookError(filename, key, f"{value!r} is not one of {', '.join(NATIONS)}")
        header[name] = value
    return header


def _parse_entry(key: str, raw: object, filename: str) -> Entry:
    if key not in SCHEMA:
        if isinstance(raw, dict) and "value" not in raw:
            raise RulebookError(
                filename,
                f"entries.{key}",
                'not an entry: write each entry as [entries."section.name"], key in quotes',
            )
        raise RulebookError(filename, key, f"unknown key{_hint(key)}")
    if not isinstance(raw, dict):
        raise RulebookError(filename, key, "must be a table with value, unit, ref and clause")
    for name in raw:
        if name not in _ENTRY_FIELDS:
            raise RulebookError(
                filename, key, f"unknown field {name!r} (allowed: {', '.join(_ENTRY_FIELDS)})"
            )
    for name in ("value", "unit"):
        if name not in raw:
            raise RulebookError(filename, key, f"missing {name}")
    spec = SCHEMA[key]
    unit = raw["unit"]
    if unit not in spec.units:
        raise RulebookError(filename, key, f"unit {unit!r} is not one of {', '.join(spec.units)}")
    try:
        value = _coerce(spec, unit, raw["value"])
    except ValueError as error:
        raise RulebookError(filename, key, str(error)) from None

    source = raw.get("source", "spec")
    if source not in SOURCES:
        raise RulebookError(filename, key, f"source {source!r} is not one of {', '.join(SOURCES)}")
    texts = {}
    for name in ("clause", "note"):
        text = raw.get(name, "")
        if not isinstance(text, str):
            raise RulebookError(filename, key, f"{name} must be a string")
        texts[name] = text.strip()
    ref = raw.get("ref", [])
    if not isinstance(ref, list) or not all(isinstance(item, str) for item in ref):
        raise RulebookError(
            filename, key, 'ref must be a list of requirement IDs, e.g. ["KENT-3.9.4"]'
        )
    for item in ref:
        if not _REF_RE.match(item):
            raise RulebookError(filename, key, f"ref {item!r} is not a requirement ID")
    if len(set(ref)) != len(ref):
        raise RulebookError(filename, key, "ref lists an ID twice")
    if source == "spec":
        if not ref:
            raise RulebookError(filename, key, "ref is empty: cite the requirement ID(s)")
        if not texts["clause"]:
            raise RulebookError(filename, key, "clause is empty: quote the specification")
    elif not texts["note"]:
        raise RulebookError(filename, key, "a homecare default needs a note saying why this value")
    return Entry(
        key=key,
        value=value,
        unit=unit,
        ref=tuple(ref),
        clause=texts["clause"],
        note=texts["note"],
        source=source,
    )


def _coerce(spec: EntrySpec, unit: str, raw: object) -> object:
    """``raw`` as ``unit``'s value type, or ValueError saying what is wrong."""
    if unit not in UNITS:  # pragma: no cover - schema guarantees this
        raise ValueError(f"unknown unit {unit!r}")
    if unit == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"value must be true or false, not {raw!r}")
        return raw
    if unit in ("choice", "text"):
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(f"value must be a non-empty string, not {raw!r}")
        if unit == "choice" and raw not in spec.choices:
            raise ValueError(f"value {raw!r} is not one of {', '.join(spec.choices)}")
        return raw
    if unit == "time":
        if isinstance(raw, time) and raw.tzinfo is None and not (raw.second or raw.microsecond):
            return raw
        match = _TIME_RE.match(raw) if isinstance(raw, str) else None
        if not match:
            raise ValueError(f'value must be a 24-hour time "HH:MM", not {raw!r}')
        return time(int(match.group(1)), int(match.group(2)))
    if unit in ("percent", "gbp"):
        value = _decimal(raw, money=unit == "gbp")
    else:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"value must be a whole number of {unit}, not {raw!r}")
        value = raw
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"value {raw!r} is below the minimum {spec.minimum}")
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(f"value {raw!r} is above the maximum {spec.maximum}")
    return value


def _decimal(raw: object, *, money: bool) -> Decimal:
    what = (
        'an amount in pounds as a string, e.g. "5.00"' if money else 'a number, e.g. 20 or "12.5"'
    )
    if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal):
        raise ValueError(f"value must be {what}, not {raw!r}")
    try:
        value = Decimal(raw.strip() if isinstance(raw, str) else raw)
    except InvalidOperation:
        raise ValueError(f"value must be {what}, not {raw!r}") from None
    if not value.is_finite():
        raise ValueError(f"value must be {what}, not {raw!r}")
    if money and value.as_tuple().exponent < -2:
        raise ValueError(f"value {raw!r} has more than two decimal places")
    return value


def _plain_decimal(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"
