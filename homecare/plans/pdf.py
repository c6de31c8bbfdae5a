"""The printable care and support plan (PDF, fpdf2): the plan in force with its
sections (DERBY-3.4), actions, SMART goals (KENT-3.1.1) and review date."""

from __future__ import annotations

import unicodedata

from django.utils import timezone

_REPLACE = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00a0": " ",
}


def _latin1(text: str) -> str:
    """The core PDF fonts hold Latin-1: map typographic marks to plain ones and
    drop accents that do not fit, rather than fail to print."""
    text = "".join(_REPLACE.get(ch, ch) for ch in str(text or ""))
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        out = []
        for ch in text:
            try:
                ch.encode("latin-1")
                out.append(ch)
            except UnicodeEncodeError:
                out.append(unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode())
        return "".join(out)


def _plan_pdf_class():
    """fpdf2 takes a while to import: only the PDF page pays for it."""
    from fpdf import FPDF

    class PlanPDF(FPDF):
        def __init__(self, footer_text: str):
            super().__init__(format="A4")
            self.footer_text = footer_text
            self.set_auto_page_break(auto=True, margin=18)
            self.set_margins(18, 18, 18)

        def footer(self):
            self.set_y(-13)
            self.set_font("Helvetica", size=8)
            text = _latin1(f"{self.footer_text} - page {self.page_no()}/{{nb}}")
            self.cell(0, 5, text, align="C")

    return PlanPDF


def plan_pdf(*, package, version, goals, printed_at) -> bytes:
    person = package.individual
    pdf = _plan_pdf_class()(f"{person} - {package.reference} - plan version {version.number}")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text, size=13):
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, _latin1(text))

    def para(text, size=10.5):
        pdf.set_font("Helvetica", size=size)
        pdf.multi_cell(width, 5.5, _latin1(text) or "-")

    heading("Care and support plan", 18)
    para(
        f"{person} ({version.form_of_address}) - package {package.reference}, "
        f"{package.organisation}\nVersion {version.number}, issued "
        f"{timezone.localtime(version.issued_at):%d %B %Y}. Next review: "
        f"{version.review_date:%d %B %Y}. Printed "
        f"{timezone.localtime(printed_at):%d %B %Y %H:%M}."
    )
    for _name, title, text in version.sections():
        if text.strip():
            heading(title)
            para(text)
    if version.actions:
        heading("Actions: who does what, by when")
        for action in version.actions:
            para(
                f"- {action.get('what', '')} - {action.get('who', '')} - by {action.get('when', '')}"
            )
    if goals:
        heading("SMART action plan")
        for goal in goals:
            pdf.set_font("Helvetica", "B", 10.5)
            pdf.multi_cell(width, 5.5, _latin1(f"{goal.outcome}: {goal.specific}"))
            para(
                f"Measured by: {goal.measurable}\nAchievable: {goal.achievable}\n"
                f"Relevant: {goal.relevant}\nBy: {goal.target_date:%d %B %Y} - "
                f"{goal.get_status_display()}"
            )
            pdf.ln(1)
    return bytes(pdf.output())
