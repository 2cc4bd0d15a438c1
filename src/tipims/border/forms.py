from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipims.accounts.models import Institution
from tipims.border.selectors import crossing_points
from tipims.core import countries, vocabularies

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _point_choices():
    return [(p.code, p.name) for p in crossing_points()]


class CrossingForm(forms.Form):
    """The post's form: typed top to bottom with the keyboard; the point and direction stay set."""

    point = forms.ChoiceField(label=_("Crossing point"))
    direction = forms.ChoiceField(label=_("Direction"), widget=forms.RadioSelect)
    crossed_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=120)
    surname1 = forms.CharField(label=_("First surname"), required=False, max_length=80)
    surname2 = forms.CharField(label=_("Second surname"), required=False, max_length=80)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=120)
    sex = forms.ChoiceField(label=_("Sex / gender"))
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    document_type = forms.ChoiceField(label=_("Document type"), required=False)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    deported = forms.BooleanField(label=_("Handed over as a deportee"), required=False)
    companion1 = forms.CharField(
        label=_("Minor travelling with (person reference)"), required=False, max_length=12
    )
    relation1 = forms.ChoiceField(label=_("Relation to the minor"), required=False)
    companion2 = forms.CharField(label=_("Second adult (person reference)"), required=False, max_length=12)
    relation2 = forms.ChoiceField(label=_("Relation to the minor"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = _point_choices()
        self.fields["direction"].choices = vocabularies.choices("crossing_direction")
        self.fields["sex"].choices = vocabularies.choices("prs_Gender")
        self.fields["nationality"].choices = [("", "—"), *countries.choices()]
        self.fields["document_type"].choices = [("", "—"), *vocabularies.choices("document_type")]
        relations = [("", "—"), *vocabularies.choices("companion_relation")]
        self.fields["relation1"].choices = relations
        self.fields["relation2"].choices = relations
        self.fields["given_names"].widget.attrs["autofocus"] = True
        if not self.is_bound:
            self.initial.setdefault("crossed_at", timezone.localtime().replace(second=0, microsecond=0))

    def person_values(self) -> dict:
        data = self.cleaned_data
        values = {
            "given_names": data["given_names"],
            "surname1": data["surname1"],
            "surname2": data["surname2"],
            "sex": data["sex"],
            "citizenships": [data["nationality"]] if data["nationality"] else [],
        }
        if data["birth_date"]:
            values |= {"birth_date": data["birth_date"], "birth_date_precision": "exact"}
        elif data["estimated_age"] is not None:
            values |= {"estimated_age": data["estimated_age"], "birth_date_precision": "estimated"}
        return values


class ReceptionForm(forms.Form):
    received_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    point = forms.ChoiceField(label=_("Crossing point"))
    nationality = forms.ChoiceField(label=_("Nationality"))
    sex = forms.ChoiceField(label=_("Sex / gender"))
    people = forms.IntegerField(label=_("People received"), min_value=0)
    minors = forms.IntegerField(label=_("Of whom minors"), min_value=0, initial=0)
    unaccompanied_minors = forms.IntegerField(label=_("Of whom unaccompanied minors"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = _point_choices()
        self.fields["nationality"].choices = countries.choices()
        self.fields["sex"].choices = vocabularies.choices("prs_Gender")
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
            self.initial.setdefault("point", "el-carmen")


class WatchlistEntryForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=120)
    surname1 = forms.CharField(label=_("First surname"), required=False, max_length=80)
    surname2 = forms.CharField(label=_("Second surname"), required=False, max_length=80)
    name_variants = forms.CharField(
        label=_("Other names, one per line: given names / first surname / second surname"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    birth_year_only = forms.BooleanField(label=_("Only the year of birth is known"), required=False)
    nationalities = forms.MultipleChoiceField(label=_("Nationalities"), required=False)
    document_type = forms.ChoiceField(label=_("Document type"), required=False)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    reason = forms.ChoiceField(label=_("Reason"))
    source_institution = forms.ModelChoiceField(
        label=_("Source institution"), queryset=Institution.objects.none()
    )
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = countries.choices()
        self.fields["document_type"].choices = [("", "—"), *vocabularies.choices("document_type")]
        self.fields["reason"].choices = vocabularies.choices("watchlist_reason")
        self.fields["source_institution"].queryset = Institution.objects.order_by("name")

    def entry_values(self) -> dict:
        data = self.cleaned_data
        return {
            "given_names": data["given_names"],
            "surname1": data["surname1"],
            "surname2": data["surname2"],
            "name_variants": data["name_variants"],
            "birth_date": data["birth_date"],
            "birth_year_only": data["birth_year_only"],
            "nationalities": list(data["nationalities"]),
            "reason": data["reason"],
            "source_institution": data["source_institution"],
            "expires_on": data["expires_on"],
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirmed", _("Confirm")), ("dismissed", _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def period(self):
        today = timezone.localdate()
        start, end = today.replace(year=today.year - 1), today
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        if end < start:
            start, end = end, start
        return start, end
