"""An invoice as CSV (every line) and as a printable PDF (fpdf2)."""

from __future__ import annotations

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from fpdf import FPDF

from .models import Invoice

CSV_HEADER = [
    "invoice",
    "line",
    "person",
    "package",
    "visit",
    "date",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "requirement_ids",
    "explanation",
]


class _Echo:
    def write(self, value):
        return value


def invoice_csv(invoice: Invoice) -> StreamingHttpResponse:
    """Every live line, streamed (a county's month has hundreds of thousands)."""
    rows = (
        invoice.lines.filter(archived_at__isnull=True)
        .order_by("position")
        .values_list(
            "position",
            "individual__given_name",
            "individual__family_name",
            "package__reference",
            "visit_id",
            "date",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "refs",
            "explanation",
        )
        .iterator(chunk_size=2000)
    )
    writer = csv.writer(_Echo())

    def stream():
        yield writer.writerow(CSV_HEADER)
        for pos, given, family, pkg, visit, day, desc, qty, unit, price, amount, refs, why in rows:
            person = f"{given} {family}" if given else ""
            yield writer.writerow(
                [
                    invoice.number,
                    pos,
                    person,
                    pkg or "",
                    visit or "",
                    day.isoformat() if day else "",
                    desc,
                    qty.normalize() if qty == qty.to_integral() else qty,
                    unit,
                    price,
                    amount,
                    " ".join(refs),
                    why,
                ]
            )

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.csv"'
    return response


def _text(value) -> str:
    """fpdf2's core fonts are Latin-1: replace what they cannot draw."""
    return (
        str(value)
        .replace("–", "-")
        .replace("—", "-")
        .replace("’", "'")
        .replace("“", '"')
        .replace("”", '"')
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def invoice_pdf(invoice: Invoice, groups) -> HttpResponse:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _text(f"Invoice {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for text in (
        f"From: {invoice.organisation}",
        f"To: {invoice.council}",
        f"Contract: {invoice.contract.reference} (rulebook {invoice.rulebook})",
        f"Period: {invoice.period}",
        f"Status: {invoice.get_status_display()}",
        f"Printed: {timezone.localtime():%d %B %Y %H:%M}",
    ):
        pdf.cell(0, 5, _text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (22, 92, 18, 20, 20, 18)
    for group in groups:
        pdf.set_font("Helvetica", "B", 11)
        title = f"{group.name} {group.package}".strip()
        pdf.cell(0, 7, _text(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", 8)
        for width, head in zip(
            widths, ("Date", "Description", "Quantity", "Unit price", "Amount", "Rule"), strict=True
        ):
            pdf.cell(width, 5, head, border="B")
        pdf.ln()
        pdf.set_font("Helvetica", "", 8)
        for line in group.lines:
            cells = (
                f"{line['date']:%d/%m/%Y}" if line["date"] else "",
                line["description"][:62],
                f"{line['quantity'].normalize():f} {line['unit']}"[:14],
                f"£{line['unit_price']:.2f}",
                f"£{line['amount']:,.2f}",
                ", ".join(line["refs"])[:14],
            )
            for width, cell in zip(widths, cells, strict=True):
                pdf.cell(width, 5, _text(cell))
            pdf.ln()
        pdf.set_font("Helvetica", "B", 8)
        pdf.cell(sum(widths[:4]), 5, "Subtotal", align="R")
        pdf.cell(widths[4], 5, _text(f"£{group.total:,.2f}"))
        pdf.ln(7)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, _text(f"Total: £{invoice.total:,.2f}"), new_x="LMARGIN", new_y="NEXT")
    for note in invoice.credit_notes.all():
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(
            0,
            6,
            _text(f"Credit note {note.number}: £{note.total:,.2f} ({note.reason})"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response
