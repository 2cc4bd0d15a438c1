from django import forms
from django.utils.translation import gettext_lazy as _

from tipims.statistics.mse import METHODS


class EstimateForm(forms.Form):
    VICTIMS, PERSONS = "victims", "persons"
    population = forms.ChoiceField(
        label=_("Who is counted"),
        choices=[(VICTIMS, _("Victims")), (PERSONS, _("Every person record"))],
        initial=VICTIMS,
        required=False,
    )
    method = forms.ChoiceField(
        label=_("Model choice"), choices=[(m, m) for m in METHODS], initial="bic", required=False
    )
    since = forms.DateField(
        label=_("Recorded from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Recorded to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
