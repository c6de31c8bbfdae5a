from django import forms
from django.utils import timezone

from homecare.domain import identifiers

from .models import Individual


class IndividualForm(forms.ModelForm):
    """Who the person is and what they need (LAN-ST-5.1, LAN-ST-9.2)."""

    # Typed as people write them (spaces allowed); stored normalised.
    nhs_number = forms.CharField(label="NHS number", max_length=14, required=False)
    postcode = forms.CharField(max_length=10)
    telephone = forms.CharField(max_length=30, required=False, help_text="e.g. 01254 123456")

    class Meta:
        model = Individual
        fields = [
            "title",
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "gender",
            "nhs_number",
            "council_identifier",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "latitude",
            "longitude",
            "area",
            "telephone",
            "presenting_needs",
            "medical_conditions",
            "current_care_arrangements",
            "moving_and_handling",
            "known_risks",
            "communication_needs",
            "preferred_worker_gender",
            "safeguarding_concern",
            "safeguarding_notes",
            "capacity_concern",
            "capacity_notes",
            "named_council_worker",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in [
                    "presenting_needs",
                    "medical_conditions",
                    "current_care_arrangements",
                    "moving_and_handling",
                    "known_risks",
                    "communication_needs",
                    "safeguarding_notes",
                    "capacity_notes",
                ]
            },
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"]
        return _checked(identifiers.normalise_nhs_number, value) if value else ""

    def clean_postcode(self):
        return _checked(identifiers.normalise_postcode, self.cleaned_data["postcode"])

    def clean_telephone(self):
        value = self.cleaned_data["telephone"]
        return _checked(identifiers.normalise_uk_phone, value) if value else ""

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        _checked(lambda b: identifiers.check_date_of_birth(b, today=timezone.localdate()), born)
        return born

    def clean(self):
        data = super().clean()
        if not data.get("nhs_number") and not data.get("council_identifier"):
            self.add_error(
                "council_identifier",
                "Give the council ID or the NHS number, so the person can be matched (LAN-ST-9.2).",
            )
        return data


def _checked(check, value):
    try:
        return check(value)
    except identifiers.InvalidIdentifier as exc:
        raise forms.ValidationError(str(exc)) from exc
