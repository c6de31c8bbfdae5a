"""The provider's answer to an offer: accept with times and a start, or decline.

The forms only read what was typed; the rules (arrival inside the slot, start
inside the window, a reason from the list) live in ``services.offer_accept``
and ``services.offer_decline``, whose errors ``add_service_errors`` puts back
onto the fields they name.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from .models import Offer, ReferralVisit

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def arrival_field_name(visit_pk) -> str:
    return f"arrival_{visit_pk}"


class AcceptForm(forms.Form):
    """Accept (LAN-HC-3.5 arrival inside each slot, LAN-HC-3.6 gender preference,
    LAN-HC-3.7 / LAN-HC-3.9 start date, LAN-ST-4.5 start date and time)."""

    start_date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date", "required": True}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the start date as a date, e.g. 2026-11-21."},
    )

    def __init__(
        self,
        *args,
        visits: list[ReferralVisit],
        needs_start_time: bool,
        ask_gender: bool,
        today: date | None = None,
        latest: date | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.visits = visits
        attrs = self.fields["start_date"].widget.attrs
        if today:
            attrs["min"] = today.isoformat()
        if latest:
            attrs["max"] = latest.isoformat()
        if needs_start_time:
            self.fields["start_time"] = forms.TimeField(
                label="Time of the first visit",
                required=False,
                input_formats=TIME_FORMATS,
                widget=forms.TimeInput(attrs={"type": "time", "required": True}, format="%H:%M"),
                error_messages={"invalid": "Give the time as HH:MM, e.g. 07:45."},
            )
        if ask_gender:
            self.fields["gender_preference_met"] = forms.TypedChoiceField(
                label="Can you provide the preferred worker gender?",
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda v: v == "yes",
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        for visit in visits:
            slot = f"{visit.slot_start:%H:%M}–{visit.slot_end:%H:%M}"
            self.fields[arrival_field_name(visit.pk)] = forms.TimeField(
                label=f"Arrival on {visit.get_weekday_display()} ({slot})",
                required=False,
                input_formats=TIME_FORMATS,
                widget=forms.TimeInput(
                    format="%H:%M",
                    attrs={
                        "type": "time",
                        "required": True,
                        "min": f"{visit.slot_start:%H:%M}",
                        "max": f"{visit.slot_end:%H:%M}",
                    },
                ),
                error_messages={"invalid": f"Give the arrival as HH:MM, between {slot}."},
            )

    def arrival_rows(self):
        """(wanted visit, its arrival field) pairs, in the referral's order."""
        return [(v, self[arrival_field_name(v.pk)]) for v in self.visits]

    def answer(self) -> dict:
        """The keyword arguments for ``services.offer_accept``."""
        data = self.cleaned_data
        return {
            "start_date": data.get("start_date"),
            "start_time": data.get("start_time"),
            "gender_preference_met": data.get("gender_preference_met"),
            "arrivals": {
                v.pk: data[arrival_field_name(v.pk)]
                for v in self.visits
                if data.get(arrival_field_name(v.pk)) is not None
            },
        }


class DeclineForm(forms.Form):
    """Decline with a reason from the list and details (LAN-HC-3.6, LAN-ST-5.4)."""

    decline_reason = forms.ChoiceField(
        label="Reason",
        required=False,
        choices=[("", "Choose a reason…"), *Offer.DeclineReason.choices],
        error_messages={"invalid_choice": "Choose a reason from the list."},
    )
    decline_details = forms.CharField(
        label="Details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the reason is 'Other'.",
    )

    def answer(self) -> dict:
        """The keyword arguments for ``services.offer_decline``."""
        return {
            "reason": self.cleaned_data["decline_reason"],
            "details": self.cleaned_data["decline_details"],
        }


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the fields it names; anything else
    (or a field this form does not have) becomes a non-field error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
