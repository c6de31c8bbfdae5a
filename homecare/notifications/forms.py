import uuid

from django import forms
from django.utils import timezone

from .events import REPORTABLE
from .models import KINDS


class EventReportForm(forms.Form):
    """What the provider's office tells the council (KENT-3.8.1, LAN-HC-6.2)."""

    kind = forms.ChoiceField(
        choices=[(k, KINDS[k]) for k in REPORTABLE],
        error_messages={"required": "Choose what to tell the council."},
    )
    package = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        error_messages={
            "required": "Choose the person it is about.",
            "invalid_choice": "That person is not one of yours.",
        },
    )
    occurred_at = forms.DateTimeField(
        label="When it happened",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={
            "required": "Say when it happened.",
            "invalid": "Give the date and time it happened.",
        },
    )
    summary = forms.CharField(
        label="What happened",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what happened."},
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = packages
        self.fields["package"].label_from_instance = lambda p: (
            f"{p.individual.family_name}, {p.individual.given_name} ({p.reference})"
        )

    def clean_occurred_at(self):
        at = self.cleaned_data["occurred_at"]
        if at > timezone.now():
            raise forms.ValidationError("It cannot have happened in the future.")
        return at
