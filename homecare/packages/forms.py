from django import forms

from homecare.domain.patterns import TRANSITIONS, PackageStatus, VisitKind

from .models import WEEKDAYS


class PatternEntryForm(forms.Form):
    """A visit (or block) on one or more days of the week."""

    weekdays = forms.TypedMultipleChoiceField(
        label="Days",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in VisitKind], initial=VisitKind.VISIT
    )
    start_time = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="Ends at", widget=forms.TimeInput(attrs={"type": "time"}))
    workers_required = forms.TypedChoiceField(
        label="Workers",
        choices=[(1, "One worker"), (2, "Two workers (double-handed)")],
        coerce=int,
        initial=1,
    )
    window_minutes = forms.IntegerField(
        label="Flexibility either side (minutes)", min_value=0, max_value=240, initial=30
    )
    tasks = forms.CharField(
        required=False,
        help_text="One task per line, e.g. “Personal care”, “Medication prompt”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"] = forms.ModelMultipleChoiceField(
            queryset=skills,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Skills the worker needs for this visit.",
        )

    def clean_tasks(self):
        return [t.strip() for t in self.cleaned_data["tasks"].splitlines() if t.strip()]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="New status")
    effective_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s.value, s.label) for s in PackageStatus if s in TRANSITIONS[PackageStatus(current)]
        ]
