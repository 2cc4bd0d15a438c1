from django import forms
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies
from tipims.reporting.models import NATIONAL, ReportFormat


class ReportRequestForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    public = forms.BooleanField(
        label=_("Public version (small cells suppressed)"), required=False, initial=True
    )

    def __init__(self, *args, internal_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not internal_allowed:
            # Analysts get the public version only: the choice is not offered.
            del self.fields["public"]


class NarrativeForm(forms.Form):
    text = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 12}))


class PopulationFigureForm(forms.Form):
    """One population cell; an existing cell (year, area, sex, age group) is corrected, not refused."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    area = forms.CharField(label=_("Area"), initial=NATIONAL, max_length=10)
    sex = forms.ChoiceField(label=_("Sex / gender"), required=False)
    age_group = forms.ChoiceField(label=_("Age group"), required=False)
    value = forms.IntegerField(label=_("Population"), min_value=1)
    source = forms.CharField(label=_("Source"), max_length=300)
    illustrative = forms.BooleanField(label=_("Illustrative (not an official statistic)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", _("All")), *vocabularies.choices("prs_Gender")]
        self.fields["age_group"].choices = [("", _("All")), *vocabularies.choices("victim_age_group")]
