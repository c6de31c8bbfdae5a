"""Forms of the journey pages: validation at the edge, in words a coordinator reads."""

from django import forms

from homecare.domain.journey import CONCERNS, HANDOVER_ITEMS, ChangeKind, Place
from homecare.packages.models import WEEKDAYS

from .models import PackageChange

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of change", choices=[(k.value, k.label) for k in ChangeKind]
    )
    operation = forms.ChoiceField(
        label="What changes in the weekly pattern", choices=PackageChange.Operation.choices
    )
    entry = forms.ModelChoiceField(
        label="Which visit", queryset=None, required=False, empty_label="— a new visit —"
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days (a new visit)",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label="New start", required=False, widget=TIME)
    end_time = forms.TimeField(label="New end", required=False, widget=TIME)
    workers_required = forms.TypedChoiceField(
        label="Workers",
        choices=[(1, "One"), (2, "Two (double-handed)")],
        coerce=int,
        required=False,
        empty_value=None,
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    agreed_with = forms.CharField(
        label="Discussed and agreed with",
        help_text="The person, their family or advocate (LAN-HC-5.5).",
        required=False,
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    risk_assessed = forms.BooleanField(label="Risk assessments are done", required=False)
    person_agrees = forms.BooleanField(
        label="The person agrees (or says the hours are not needed)", required=False
    )
    goals_met = forms.BooleanField(label="The person's goals are met", required=False)
    concerns = forms.MultipleChoiceField(
        label="Concerns (LAN-ST-6.1, LAN-ST-6.5)",
        choices=list(CONCERNS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ot_assessed = forms.BooleanField(label="An OT has assessed the change", required=False)
    plan_reviewed = forms.BooleanField(label="The plan has been reviewed", required=False)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda e: (
            f"{e.get_weekday_display()} {e.start_time:%H:%M} ({e.duration_minutes} min, "
            f"{e.workers_required} worker{'s' if e.workers_required > 1 else ''})"
        )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("yes", "Agree"), ("no", "Decline")], coerce=lambda v: v == "yes"
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class AdmitForm(forms.Form):
    place = forms.ChoiceField(label="Where", choices=[(p.value, p.label) for p in Place])
    admitted_at = forms.DateTimeField(label="Admitted at", widget=DATETIME)
    hospital = forms.CharField(label="Hospital and ward", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DischargeForm(forms.Form):
    discharged_at = forms.DateTimeField(label="Discharged at", widget=DATETIME)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RestartForm(forms.Form):
    requested_start = forms.DateField(label="Restart on", widget=DATE)


class HandBackForm(forms.Form):
    last_day = forms.DateField(label="Last day of care", widget=DATE)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class HandoverForm(forms.Form):
    handed_to = forms.CharField(label="Handed to (the council or the next provider)")
    handed_over = forms.MultipleChoiceField(
        label="Handed over",
        choices=[(k, label) for k, (label, _) in HANDOVER_ITEMS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class D2AStartForm(forms.Form):
    starts_on = forms.DateField(label="Home from hospital on", widget=DATE)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label="What happens next", widget=forms.Textarea(attrs={"rows": 2}))
