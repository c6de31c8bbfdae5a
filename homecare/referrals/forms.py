"""The council broker's forms: a referral with the visits wanted, confirming a
placement, cancelling. The provider's answer forms live in ``forms_provider.py``.

They check at the edge, in words a coordinator uses; the services check again.
"""

from django import forms
from django.utils import timezone

from homecare.domain.patterns import VisitKind
from homecare.packages.models import WEEKDAYS

from .models import Referral

WORKERS = [(1, "One"), (2, "Two (double-handed)")]
TEXTAREAS = [
    "needs_statement",
    "special_requirements",
    "moving_and_handling",
    "known_risks",
    "consent_notes",
]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        born = f"born {person.date_of_birth:%-d %b %Y}" if person.date_of_birth else ""
        return ", ".join(
            p for p in (f"{person.family_name}, {person.given_name}", born, person.postcode) if p
        )


class ReferralForm(forms.ModelForm):
    """Who the referral is for and what the council knows (LAN-ST-5.2 to 5.4,
    KENT-3.4.3). The visits wanted come in a formset alongside."""

    individual = PersonChoiceField(
        label="Person",
        queryset=None,
        empty_label="Choose the person…",
        error_messages={
            "invalid_choice": "Choose one of the people your council is responsible for."
        },
    )
    received_at = forms.DateTimeField(
        label="Received",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="When the council received the referral. Leave blank for now.",
    )

    class Meta:
        model = Referral
        fields = [
            "individual",
            "kind",
            "urgency",
            "source",
            "referrer_name",
            "referrer_telephone",
            "received_at",
            "care_type",
            "requested_start",
            "expected_end",
            "previous_package",
            "needs_statement",
            "special_requirements",
            "moving_and_handling",
            "known_risks",
            "preferred_worker_gender",
            "safeguarding_concern",
            "capacity_concern",
            "consent",
            "consent_notes",
        ]
        labels = {
            "urgency": "Urgency (LAN-ST-2.3)",
            "source": "Referred by (LAN-ST-5.2)",
            "referrer_name": "Referrer's name or team",
            "previous_package": "Package held during the hospital stay",
            "consent": "Consent or best-interest decision (KENT-3.4.3)",
            "safeguarding_concern": "Known safeguarding issues",
            "capacity_concern": "Concerns about mental capacity",
        }
        help_texts = {
            "previous_package": "For a restart only: it goes to that provider first (LAN-HC-6.4).",
            "moving_and_handling": "Equipment and instructions. Providers may decline without it (LAN-ST-5.4).",
        }
        widgets = {
            "requested_start": forms.DateInput(attrs={"type": "date"}),
            "expected_end": forms.DateInput(attrs={"type": "date"}),
            **{f: forms.Textarea(attrs={"rows": 3}) for f in TEXTAREAS},
        }

    def __init__(self, *args, people, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["individual"].queryset = people.order_by("family_name", "given_name", "pk")
        self.fields["previous_package"].queryset = (
            packages.filter(status__in=["active", "suspended"])
            .select_related("individual")
            .order_by("reference")
        )
        self.fields["previous_package"].empty_label = "Not a restart"

    def clean_received_at(self):
        received = self.cleaned_data["received_at"]
        if received and received > timezone.now():
            raise forms.ValidationError("The referral cannot have been received in the future.")
        return received

    def clean(self):
        data = super().clean()
        start, end = data.get("requested_start"), data.get("expected_end")
        if start and end and end < start:
            self.add_error("expected_end", "The expected end is before the requested start.")
        previous, person = data.get("previous_package"), data.get("individual")
        if data.get("kind") == Referral.Kind.RESTART and not previous:
            self.add_error(
                "previous_package", "A restart names the package held during the stay (LAN-HC-6.4)."
            )
        if data.get("kind") != Referral.Kind.RESTART and previous:
            self.add_error("previous_package", "Only a restart names a previous package.")
        if previous and person and previous.individual_id != person.pk:
            self.add_error("previous_package", f"That package is not {person}'s.")
        if data.get("consent") == Referral.Consent.BEST_INTEREST and not data.get("consent_notes"):
            self.add_error(
                "consent_notes", "Say who made the best-interest decision and where it is recorded."
            )
        return data

    def service_fields(self) -> dict:
        """The cleaned fields as services.referral_create takes them."""
        fields = dict(self.cleaned_data)
        fields.pop("individual")
        if not fields.get("received_at"):
            fields.pop("received_at", None)
        return fields


class VisitWantedForm(forms.Form):
    """One row of the visits wanted: one or more days with the same slot, so
    "every day 07:30–09:00, 45 min" is a single row (LAN-HC-3.4)."""

    weekdays = forms.TypedMultipleChoiceField(
        label="Days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    every_day = forms.BooleanField(label="Every day", required=False)
    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in VisitKind], initial=VisitKind.VISIT.value
    )
    slot_start = forms.TimeField(
        label="Arrive from",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Give the earliest arrival time."},
    )
    slot_end = forms.TimeField(
        label="Arrive by",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Give the latest arrival time."},
    )
    duration_minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"size": 4, "style": "width:5rem"}),
        error_messages={
            "required": "Give how long the visit lasts, in minutes.",
            "min_value": "A visit lasts at least one minute.",
            "max_value": "A visit cannot last more than 24 hours.",
        },
    )
    workers_required = forms.TypedChoiceField(
        label="Workers",
        choices=WORKERS,
        coerce=int,
        initial=1,
        error_messages={"invalid_choice": "A visit needs one worker, or two when double-handed."},
    )
    tasks = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Wash and dress, Breakfast", "size": 14}),
        help_text="Separate tasks with commas.",
    )

    def clean_tasks(self):
        raw = self.cleaned_data["tasks"].replace("\n", ",")
        return [t.strip() for t in raw.split(",") if t.strip()]

    def clean(self):
        data = super().clean()
        if data.get("every_day"):
            data["weekdays"] = [d for d, _ in WEEKDAYS]
        elif not data.get("weekdays"):
            self.add_error("weekdays", "Tick the days of this visit, or Every day.")
        start, end = data.get("slot_start"), data.get("slot_end")
        if start and end and end < start:
            self.add_error(
                "slot_end",
                f"The time slot ends at {end:%H:%M}, before it starts at {start:%H:%M}.",
            )
        return data

    def visits(self) -> list[dict]:
        """This row as the service's visits: one per day ticked."""
        d = self.cleaned_data
        return [
            {
                "weekday": day,
                "kind": d["kind"],
                "slot_start": d["slot_start"],
                "slot_end": d["slot_end"],
                "duration_minutes": d["duration_minutes"],
                "workers_required": d["workers_required"],
                "tasks": d["tasks"],
            }
            for day in sorted(set(d["weekdays"]))
        ]


class BaseVisitsWantedFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.visits():
            raise forms.ValidationError("Add at least one visit wanted.")

    def filled(self):
        return [f for f in self.forms if f.has_changed() and f.is_valid()]

    def visits(self) -> list[dict]:
        return [v for form in self.filled() for v in form.visits()]


VisitsWantedFormSet = forms.formset_factory(
    VisitWantedForm,
    formset=BaseVisitsWantedFormSet,
    extra=3,
    max_num=30,
    validate_max=True,
)


class ConfirmForm(forms.Form):
    """Each wanted visit to one accepted offer (several = a split, KENT-3.2.7)."""

    everything_to = forms.ChoiceField(
        label="Give every visit to",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, visits, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.visits, self.offers = list(visits), list(offers)
        self.arrivals = {
            (o.pk, s.referral_visit_id): s.arrival_time for o in self.offers for s in o.slots.all()
        }
        only = str(self.offers[0].pk) if len(self.offers) == 1 else None
        self.fields["everything_to"].choices = [("", "Choose visit by visit")] + [
            (str(o.pk), f"{o.provider.name} (start {o.start_date:%a %-d %b})") for o in self.offers
        ]
        self.fields["everything_to"].initial = only or ""
        for visit in self.visits:
            choices = []
            for o in self.offers:
                arrival = self.arrivals.get((o.pk, visit.pk))
                shown = f"arrive {arrival:%H:%M}" if arrival else "no time given"
                choices.append((str(o.pk), f"{o.provider.name}: {shown}"))
            self.fields[f"visit_{visit.pk}"] = forms.ChoiceField(
                label=str(visit),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=only,
            )

    def rows(self):
        """(visit, its field, [(offer, arrival, radio button)]) for a grid of choices."""
        for visit in self.visits:
            field = self[f"visit_{visit.pk}"]
            cells = [
                (o, self.arrivals.get((o.pk, visit.pk)), radio)
                for o, radio in zip(self.offers, field.subwidgets, strict=True)
            ]
            yield visit, field, cells

    def clean(self):
        data = super().clean()
        everything = data.get("everything_to")
        allocations = {}
        for visit in self.visits:
            chosen = everything or data.get(f"visit_{visit.pk}")
            if not chosen:
                self.add_error(f"visit_{visit.pk}", f"Choose a provider for {visit}.")
            allocations[visit.pk] = chosen
        data["allocations"] = allocations
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the referral cancelled?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the referral is cancelled."},
    )
