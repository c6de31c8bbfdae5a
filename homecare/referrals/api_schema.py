"""What the JSON API accepts, as Django forms, with messages a coordinator can act on.

A referral is a ``ReferralSchema`` (the referral's own fields and the person)
plus a list of ``VisitSchema``; the answers to an offer reuse the provider
page's forms (``forms_provider``), with the API's field names mapped onto
theirs. ``errors_json`` gives ``{field: [messages]}``; a visit's errors are
keyed ``visits.<index>.<field>``, an arrival's ``arrivals.<visit id>``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField

from homecare.core import access
from homecare.packages.models import WEEKDAYS, PatternEntry

from .models import Referral
from .services import REFERRAL_FIELDS

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
TIME_MESSAGE = "Give the time as HH:MM (24-hour clock), e.g. 07:30."
DATE_MESSAGE = "Give the date as YYYY-MM-DD, e.g. 2026-11-21."

#: What a referral gets when the body leaves these out (the model's defaults).
REFERRAL_DEFAULTS = {
    "care_type": Referral.CareType.VISITS,
    "consent": Referral.Consent.NOT_YET,
    "preferred_worker_gender": "none",
    "safeguarding_concern": False,
    "capacity_concern": False,
}


class JSONBodyError(Exception):
    """The body is not the JSON object the endpoint expects."""


def _friendly(form: forms.Form) -> None:
    """Messages that say what to send, not just that it was wrong."""
    for name, field in form.fields.items():
        label = (field.label or name.replace("_", " ")).lower()
        field.error_messages["required"] = f"Give the {label}."
        if isinstance(field, forms.ModelChoiceField):
            continue
        if isinstance(field, forms.ChoiceField):
            values = ", ".join(str(v) for v, _ in field.choices if v != "")
            field.error_messages["invalid_choice"] = f"Choose one of: {values}."
        elif isinstance(field, forms.DateField):
            field.input_formats = ["%Y-%m-%d"]  # one format for machines: no 01/02 guessing
            field.error_messages["invalid"] = DATE_MESSAGE
        elif isinstance(field, forms.DateTimeField):
            field.error_messages["invalid"] = (
                "Give the date and time in ISO 8601, e.g. 2026-11-20T16:00:00+00:00."
            )
        elif isinstance(field, forms.TimeField):
            field.error_messages["invalid"] = TIME_MESSAGE
        elif isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = "Give a whole number."


def _as_text(data: dict, form_class) -> dict:
    """JSON numbers, lists or objects where a date or time belongs become text,
    so that they fail validation with a message instead of breaking the parser."""
    out = dict(data)
    for name, field in form_class.base_fields.items():
        value = out.get(name)
        if isinstance(field, BaseTemporalField) and value is not None:
            out[name] = value if isinstance(value, str) else str(value)
    return out


class ScopedChoiceField(forms.ModelChoiceField):
    """A record picked by id from an access-scoped queryset; a malformed id is
    'not found' like any other, never a parser message."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from exc


class ReferralSchema(forms.ModelForm):
    """A referral (LAN-ST-5.1, LAN-ST-5.2, LAN-ST-9.2): who, why, what is needed."""

    individual = ScopedChoiceField(
        queryset=None,
        error_messages={"invalid_choice": "No person with this id among the people you refer."},
    )
    previous_package = ScopedChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "No care package with this id among those you can see."},
    )
    received_at = forms.DateTimeField(required=False)

    class Meta:
        model = Referral
        fields = sorted(REFERRAL_FIELDS)

    def __init__(self, data, *, user, **kwargs):
        super().__init__(_as_text(data, type(self)), **kwargs)
        self.fields["individual"].queryset = access.individuals_for(user)
        self.fields["previous_package"].queryset = access.packages_for(user)
        _friendly(self)

    def _post_clean(self):
        """The service validates the whole referral; no half-built instance here."""


class TasksField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise ValidationError('Give the tasks as a list of short texts, e.g. ["Breakfast"].')
        return [t.strip() for t in value if t.strip()]


class VisitSchema(forms.Form):
    """One visit wanted each week, with the slot the council offers (LAN-HC-3.4)."""

    weekday = forms.TypedChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        help_text="0 Monday … 6 Sunday",
    )
    kind = forms.ChoiceField(choices=PatternEntry.Kind.choices, required=False)
    slot_start = forms.TimeField(label="slot start", input_formats=TIME_FORMATS)
    slot_end = forms.TimeField(label="slot end", input_formats=TIME_FORMATS)
    duration_minutes = forms.IntegerField(
        label="duration in minutes", min_value=1, max_value=24 * 60
    )
    workers_required = forms.TypedChoiceField(
        label="workers required",
        choices=[(1, "1"), (2, "2")],
        coerce=int,
        required=False,
        empty_value=1,
    )
    tasks = TasksField(required=False)

    def __init__(self, data, **kwargs):
        super().__init__(_as_text(data, type(self)), **kwargs)
        _friendly(self)
        self.fields["weekday"].error_messages["invalid_choice"] = (
            "Give the weekday as a number: 0 for Monday to 6 for Sunday."
        )
        self.fields["workers_required"].error_messages["invalid_choice"] = (
            "A visit needs 1 worker, or 2 when double-handed."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("slot_start"), data.get("slot_end")
        if start and end and end < start:
            self.add_error(
                "slot_end",
                f"The slot ends at {end:%H:%M}, before it starts at {start:%H:%M}.",
            )
        data["kind"] = data.get("kind") or "visit"
        return data


def referral_from_json(body: dict, *, user) -> tuple[dict | None, dict]:
    """Read a referral from a JSON body: (service arguments, errors)."""
    errors: dict[str, list[str]] = {}
    visits_in = body.get("visits")
    known = set(ReferralSchema.base_fields) | set(REFERRAL_FIELDS) | {"visits"}
    for key in sorted(set(body) - known):
        errors[key] = ["Unknown field."]
    form = ReferralSchema(
        {**REFERRAL_DEFAULTS, **{k: v for k, v in body.items() if k != "visits"}}, user=user
    )
    if not form.is_valid():
        errors.update(errors_json(form))
    visits = []
    if not isinstance(visits_in, list) or not visits_in:
        errors["visits"] = ["Add at least one visit wanted."]
    else:
        for i, item in enumerate(visits_in):
            if not isinstance(item, dict):
                errors[f"visits.{i}"] = [
                    "Each visit is an object with weekday, slot_start, slot_end and duration_minutes."
                ]
                continue
            unknown = sorted(set(item) - set(VisitSchema.base_fields))
            for key in unknown:
                errors[f"visits.{i}.{key}"] = ["Unknown field."]
            visit = VisitSchema(item)
            if visit.is_valid():
                visits.append(visit.cleaned_data)
            else:
                for key, messages in errors_json(visit).items():
                    errors[f"visits.{i}" if key == "__all__" else f"visits.{i}.{key}"] = messages
    if errors:
        return None, errors
    data = dict(form.cleaned_data)
    arguments = {
        "individual": data.pop("individual"),
        "received_at": data.pop("received_at"),
        "visits": visits,
        **{k: v for k, v in data.items() if k in REFERRAL_FIELDS},
    }
    return arguments, {}


def errors_json(form: forms.Form) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def validation_error_json(exc: ValidationError, rename=None) -> dict[str, list[str]]:
    """A service's ValidationError as ``{field: [messages]}``; ``rename`` maps a
    service field name onto the API's."""
    rename = rename or (lambda name: name)
    if hasattr(exc, "error_dict"):
        return {
            rename(field): [m for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"__all__": list(exc.messages)}


# ---------------------------------------------------------------- offer answers

#: API field -> provider form field.
DECLINE_FIELDS = {"reason": "decline_reason", "details": "decline_details"}
ACCEPT_FIELDS = {"start_date", "start_time", "gender_preference_met", "arrivals"}


def api_name(form_field: str) -> str:
    """The API's name for a provider form (or service) field."""
    if form_field.startswith("arrival_"):
        return f"arrivals.{form_field.removeprefix('arrival_')}"
    reverse = {v: k for k, v in DECLINE_FIELDS.items()}
    return reverse.get(form_field, form_field)


def accept_form_data(body: dict, visit_ids) -> tuple[dict, dict]:
    """The provider accept form's data from a JSON body, and errors the form
    cannot see (unknown fields, arrivals for visits not wanted)."""
    errors: dict[str, list[str]] = {}
    for key in sorted(set(body) - ACCEPT_FIELDS):
        errors[key] = ["Unknown field."]
    data = {k: _text(body[k]) for k in ("start_date", "start_time") if body.get(k) is not None}
    met = body.get("gender_preference_met")
    if met is not None:
        if isinstance(met, bool):
            data["gender_preference_met"] = "yes" if met else "no"
        else:
            errors["gender_preference_met"] = ["Answer true or false."]
    arrivals = body.get("arrivals", {})
    if not isinstance(arrivals, dict):
        errors["arrivals"] = ['Give the arrivals as {"<visit id>": "HH:MM"}, one per visit wanted.']
        arrivals = {}
    wanted = {str(pk) for pk in visit_ids}
    for key, value in arrivals.items():
        if str(key) not in wanted:
            errors[f"arrivals.{key}"] = ["This referral wants no visit with this id."]
        else:
            data[f"arrival_{key}"] = _text(value)
    return data, errors


def decline_form_data(body: dict) -> tuple[dict, dict]:
    errors = {key: ["Unknown field."] for key in sorted(set(body) - set(DECLINE_FIELDS))}
    data = {form_name: _text(body.get(api) or "") for api, form_name in DECLINE_FIELDS.items()}
    return data, errors


def _text(value) -> str:
    return value if isinstance(value, str) else str(value)
