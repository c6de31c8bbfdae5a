from django import forms


class ReassignForm(forms.Form):
    worker = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose the worker who will go instead.",
            "invalid_choice": "That worker is not one of yours.",
        },
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class CallAheadForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "What you told them (optional)"}),
    )


class NotDeliveredForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("no_response", "No response at the door"), ("void", "Void call")],
        error_messages={
            "required": "Choose what happened.",
            "invalid_choice": "Choose what happened.",
        },
    )
    note = forms.CharField(required=False, max_length=1000)
