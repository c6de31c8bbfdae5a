"""Forms of the rota pages: asking for a run, moving a visit to other workers."""

from django import forms

from .models import RotaRun, RotaWeights


class RunForm(forms.Form):
    date = forms.DateField(error_messages={"invalid": "Choose a day to plan."})
    kind = forms.ChoiceField(choices=RotaRun.Kind.choices)


class MoveForm(forms.Form):
    """Choose the worker (two for a double-handed visit) from the provider's staff that day."""

    first = forms.ChoiceField(label="Worker")
    second = forms.ChoiceField(label="Second worker", required=False)

    def __init__(self, *args, day, visit, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(w.id, w.name) for w in sorted(day.workers, key=lambda w: w.name)]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices
        current = [*list(visit.workers), "", ""]
        self.fields["first"].initial = current[0]
        self.fields["second"].initial = current[1]
        self.visit = visit
        if visit.workers_required == 1:
            del self.fields["second"]

    def clean(self):
        data = super().clean()
        ids = [data.get("first"), data.get("second")]
        ids = [i for i in ids if i]
        if len(ids) != self.visit.workers_required:
            raise forms.ValidationError(
                "This visit is double-handed: choose two workers."
                if self.visit.workers_required == 2
                else "Choose a worker."
            )
        data["ids"] = ids
        return data


class WeightsForm(forms.ModelForm):
    class Meta:
        model = RotaWeights
        fields = RotaWeights.FIELDS

    #: Added later than the others: a form without it keeps the current value.
    OPTIONAL = ("continuity_share", "team_share")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.OPTIONAL:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        for name in self.Meta.model.FIELDS:
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, "A weight cannot be negative.")
        if (share := data.get("team_share")) is not None and share > 100:
            self.add_error("team_share", "The team share goal is a percentage: 0 to 100.")
        return data
