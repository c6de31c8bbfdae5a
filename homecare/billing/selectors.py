"""Reads of the billing pages: lines grouped per person, the clause behind a
line, and the council's own computation compared with the invoice line by line."""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from homecare.domain.pricing import PricingError

from . import pricing_inputs
from .models import Invoice, InvoiceLine

#: What an invoice page loads of each line.
LINE_FIELDS = (
    "id",
    "position",
    "individual_id",
    "individual__given_name",
    "individual__family_name",
    "package_id",
    "package__reference",
    "visit_id",
    "date",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "refs",
)


@dataclass
class PersonGroup:
    name: str
    package: str
    lines: list = field(default_factory=list)
    total: Decimal = Decimal("0.00")


def lines_by_person(invoice: Invoice, limit: int | None = None) -> list[PersonGroup]:
    """The invoice's live lines (the first ``limit``), grouped per person and
    package (contract lines last)."""
    groups: OrderedDict[tuple, PersonGroup] = OrderedDict()
    rows = (
        invoice.lines.filter(archived_at__isnull=True)
        .order_by("individual__family_name", "individual_id", "position")
        .values(*LINE_FIELDS)
    )
    if limit is not None:
        rows = rows[:limit]
    period_lines = PersonGroup(name="Contract lines", package="")
    for row in rows:
        if row["individual_id"] is None:
            group = period_lines
        else:
            key = (row["individual_id"], row["package_id"])
            group = groups.get(key)
            if group is None:
                name = f"{row['individual__given_name']} {row['individual__family_name']}"
                group = groups[key] = PersonGroup(
                    name=name, package=row["package__reference"] or ""
                )
        group.lines.append(row)
        group.total += row["amount"]
    result = list(groups.values())
    if period_lines.lines:
        result.append(period_lines)
    return result


@functools.cache
def catalogue() -> dict[str, str]:
    """Requirement ID -> its sentence in ``docs/requirements.md``."""
    path = Path(settings.BASE_DIR) / "docs" / "requirements.md"
    found = {}
    if path.is_file():
        for match in re.finditer(
            r"^\| ([A-Z][A-Z0-9.-]+) \| \w+ \| (.+?) \|$", path.read_text(), re.M
        ):
            found[match.group(1)] = match.group(2)
    return found


@dataclass(frozen=True)
class Clause:
    ref: str
    requirement: str
    entries: tuple  # rulebook entries citing the ref


def clauses(contract, refs) -> list[Clause]:
    """The clause behind each requirement ID: the rulebook's entries that cite it
    (value and the specification's words) and the catalogue's sentence."""
    rules = contract.rules()
    result = []
    for ref in refs:
        entries = tuple(e for e in rules.entries.values() if ref in e.ref)
        result.append(Clause(ref=ref, requirement=catalogue().get(ref, ""), entries=entries))
    return result


def pricing_basis(contract):
    """Rulebook entries that say how any visit is paid (shown when a line cites no clause)."""
    rules = contract.rules()
    keys = ("billing.model", "billing.duration_basis", "billing.unit_rounding", "billing.over_hour")
    return [rules.entry(key) for key in keys if key in rules.entries]


# ---------------------------------------------------------------- the council's check


@dataclass(frozen=True)
class CheckRow:
    key: str
    visit_id: str | None
    person: str
    date: object
    description: str
    invoiced: Decimal | None
    expected: Decimal | None
    line_id: object = None

    @property
    def difference(self) -> Decimal:
        return (self.invoiced or Decimal(0)) - (self.expected or Decimal(0))

    @property
    def verdict(self) -> str:
        if self.expected is None:
            return "not commissioned"
        if self.invoiced is None:
            return "not invoiced"
        return "same" if self.difference == 0 else "different"


@dataclass(frozen=True)
class Check:
    rows: list[CheckRow]
    invoiced_total: Decimal
    expected_total: Decimal
    error: str = ""

    @property
    def differences(self) -> list[CheckRow]:
        return [row for row in self.rows if row.verdict != "same"]


def council_check(invoice: Invoice) -> Check:
    """The invoice recomputed from the council's own data: every visit the
    council commissioned (planned, not cancelled) priced by the same rules,
    beside the provider's lines."""
    contract, period = invoice.contract, invoice.period
    try:
        expected = pricing_inputs.price(contract, period.start, period.end, planned=True)
    except PricingError as error:
        return Check([], invoice.total, Decimal(0), error=str(error))
    names = dict(
        (str(pk), f"{given} {family}")
        for pk, given, family in contract.packages.values_list(
            "individual_id", "individual__given_name", "individual__family_name"
        )
    )
    ours: dict[str, tuple] = {}
    for line in expected.lines:
        key = line.visit_id or f"{line.description}|{line.date}"
        amount = ours.get(key, (None, Decimal(0)))[1] + line.amount
        ours[key] = (line, amount)
    theirs: dict[str, tuple] = {}
    for row in invoice.lines.filter(archived_at__isnull=True).values_list(
        "id", "visit_id", "individual_id", "date", "description", "amount"
    ):
        line_id, visit_id, person_id, day, description, amount = row
        key = str(visit_id) if visit_id else f"{description}|{day}"
        before = theirs.get(key)
        theirs[key] = (row, (before[1] if before else Decimal(0)) + amount)
    rows = []
    for key in list(theirs) + [k for k in ours if k not in theirs]:
        mine = theirs.get(key)
        council = ours.get(key)
        if mine:
            line_id, visit_id, person_id, day, description, _ = mine[0]
            person = names.get(str(person_id), "")
        else:
            line = council[0]
            line_id, visit_id, day, description = None, line.visit_id, line.date, line.description
            person = names.get(line.person_id, "")
        rows.append(
            CheckRow(
                key=key,
                visit_id=str(visit_id) if visit_id else None,
                person=person,
                date=day,
                description=description,
                invoiced=mine[1] if mine else None,
                expected=council[1] if council else None,
                line_id=line_id,
            )
        )
    rows.sort(key=lambda r: (r.verdict == "same", r.date or period.start, r.person, r.key))
    return Check(rows, invoice.total, expected.total)


def visits_of_line(line: InvoiceLine):
    """The visit a line prices, or for a contract line every visit it counts."""
    from homecare.packages.models import Visit

    qs = Visit.objects.filter(archived_at__isnull=True).select_related("individual")
    if line.visit_id:
        return qs.filter(pk=line.visit_id)
    invoice = line.invoice
    return qs.filter(
        package__contract_id=invoice.contract_id,
        date__gte=invoice.period.start,
        date__lte=invoice.period.end,
        status="completed",
    )
