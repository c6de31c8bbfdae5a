"""Forms of the plans app: they parse; the services (and the plain rules in
``homecare.domain.plans``) decide what is allowed."""

from datetime import date

from django import forms

from .models import PLAN_SECTIONS, Review
from .services import PPRIF_FIELDS

_TEXT = {"rows": 3}


class PlanVersionForm(forms.Form):
    """The contents of a care and support plan (DERBY-3.4). Fields are not
    required here: the service says what is missing and why."""

    change_summary = forms.CharField(
        label="What changed in this version", required=False, max_length=300
    )
    review_date = forms.DateField(
        label="Review date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When this plan will next be reviewed (DERBY-3.4).",
    )
    actions = forms.CharField(
        label="Actions (who does what, by when)",
        required=False,
        widget=forms.Textarea(attrs=_TEXT),
        help_text="One action a line: what | who | by when (YYYY-MM-DD).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (heading, _plain) in PLAN_SECTIONS.items():
            widget = (
                forms.TextInput()
                if name in ("form_of_address", "key_worker")
                else forms.Textarea(attrs=_TEXT)
            )
            self.fields[name] = forms.CharField(label=heading, required=False, widget=widget)
        order = ["change_summary", *PLAN_SECTIONS, "actions", "review_date"]
        self.order_fields(order)

    def clean_actions(self):
        out = []
        for n, line in enumerate(self.cleaned_data["actions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (3 - len(parts))
            what, who, when = parts[:3]
            if when:
                try:
                    date.fromisoformat(when)
                except ValueError:
                    raise forms.ValidationError(
                        f"Action {n}: '{when}' is not a date (YYYY-MM-DD)."
                    ) from None
            out.append({"what": what, "who": who, "when": when})
        return out

    @staticmethod
    def initial_from(version) -> dict:
        if version is None:
            return {}
        initial = {name: getattr(version, name) for name in PLAN_SECTIONS}
        initial["review_date"] = version.review_date
        initial["actions"] = "\n".join(
            f"{a.get('what', '')} | {a.get('who', '')} | {a.get('when', '')}"
            for a in version.actions
        )
        return initial


class GoalForm(forms.Form):
    """A SMART goal (KENT-3.1.1)."""

    outcome = forms.CharField(label="Outcome it works towards", required=False, max_length=300)
    specific = forms.CharField(
        label="Specific: what exactly the person will do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measurable = forms.CharField(
        label="Measurable: how everyone will know it is done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    achievable = forms.CharField(
        label="Achievable: why it is within reach, and the help given",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    relevant = forms.CharField(
        label="Relevant: how it serves the outcome",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(
        label="Time-bound: achieved by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label="How far towards the goal (%)", required=False)
    note = forms.CharField(label="What was seen", required=False, widget=forms.Textarea(_TEXT))

    def __init__(self, *args, visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.visits = {str(v.pk): v for v in visits}
        self.fields["visit"] = forms.ChoiceField(
            label="From the notes of the visit",
            required=False,
            choices=[("", "Not from a visit")]
            + [(str(v.pk), f"{v.planned_start:%a %d %b %H:%M}") for v in visits],
        )

    def clean_visit(self):
        return self.visits.get(self.cleaned_data.get("visit") or "")


class ReviewScheduleForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of review", choices=Review.Kind.choices)
    scheduled_for = forms.DateField(
        label="Review date", widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviewHoldForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of review", choices=Review.Kind.choices)
    held_on = forms.DateField(label="Held on", widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label="Who took part", required=False)
    summary = forms.CharField(
        label="What the review found and agreed", required=False, widget=forms.Textarea(_TEXT)
    )


class PprifForm(forms.Form):
    """The provider's pre-review information form (KENT-3.11.3)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in PPRIF_FIELDS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )


class EarlyReviewForm(forms.Form):
    reason = forms.CharField(
        label="What has changed significantly",
        required=False,
        widget=forms.Textarea(_TEXT),
        help_text="Needs increased or decreased, or how the person wants their care (KENT-3.12.1).",
    )


class RecordsCheckForm(forms.Form):
    checked_on = forms.DateField(
        label="Records reviewed on", widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label="Feedback and findings", required=False, widget=forms.Textarea(_TEXT)
    )
