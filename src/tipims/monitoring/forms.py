from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipims.core import countries, vocabularies
from tipims.core.models import Municipality

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BREAKDOWN_HELP = _("One per line, 'country code: number' (GT: 3, HN: 1, unknown: 2)")


PERSON_HELP = _("The reference of a person record of your institution (P-…); record the person first.")


def parse_references(text: str) -> list[str]:
    """References written one per line, or separated by commas or spaces."""
    return [word.upper() for word in (text or "").replace(",", " ").split() if word]


class EstablishmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Type"))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    owner = forms.CharField(label=_("Owner"), required=False, max_length=12, help_text=PERSON_HELP)
    manager = forms.CharField(label=_("Manager"), required=False, max_length=12, help_text=PERSON_HELP)

    def __init__(self, *args, with_people: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_people:  # owner and manager are identities: only for those who may record them
            del self.fields["owner"], self.fields["manager"]
        self.fields["kind"].choices = vocabularies.choices("establishment_type")
        self.fields["municipality"].queryset = Municipality.objects.select_related("department").order_by(
            "department__name", "name"
        )


def parse_breakdown(text: str) -> dict[str, int]:
    result: dict[str, int] = {}
    for line in (text or "").replace(",", "\n").splitlines():
        if not line.strip():
            continue
        code, _sep, number = line.partition(":")
        code = code.strip()
        try:
            count = int(number.strip())
        except ValueError:
            raise forms.ValidationError(_("Write each line as 'country code: number'.")) from None
        code = "unknown" if code.lower() in ("unknown", "?", "desconocida", "desconocido") else code.upper()
        if code != "unknown" and not countries.is_country(code):
            raise forms.ValidationError(_("%(code)s is not an ISO 3166 country code.") % {"code": code})
        result[code] = result.get(code, 0) + count
    return result


class VisitForm(forms.Form):
    establishment = forms.TypedChoiceField(label=_("Establishment"), coerce=int)
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE_INPUT)
    entry_denied = forms.BooleanField(label=_("Entry denied"), required=False)
    minors_confirmed = forms.IntegerField(label=_("Minors confirmed"), min_value=0, initial=0)
    minors_suspected = forms.IntegerField(
        label=_("Persons who appeared to be minors"), min_value=0, initial=0
    )
    adults = forms.IntegerField(label=_("Adults"), min_value=0, initial=0)
    minors_by_nationality = forms.CharField(
        label=_("Minors by nationality"),
        required=False,
        help_text=BREAKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, establishments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].choices = [
            (e.pk, f"{e.name} ({e.municipality.name})") for e in establishments
        ]
        if not self.is_bound:
            self.initial.setdefault("visited_on", timezone.localdate())

    def clean_minors_by_nationality(self):
        return parse_breakdown(self.cleaned_data.get("minors_by_nationality", ""))


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    carried_out_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    establishments = forms.TypedMultipleChoiceField(label=_("Establishments"), coerce=int, required=False)
    victims_rescued = forms.IntegerField(label=_("Victims rescued"), min_value=0, initial=0)
    people_arrested = forms.IntegerField(label=_("People arrested"), min_value=0, initial=0)
    victims = forms.CharField(
        label=_("Victims identified"),
        required=False,
        help_text=_("The victim references (V-…) the shelter or protection office gave you, if any."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    defendants = forms.CharField(
        label=_("Defendants"),
        required=False,
        help_text=_("The person references (P-…) of the defendants in the criminal case, if any."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, establishments=(), with_people: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_people:
            del self.fields["victims"], self.fields["defendants"]
        self.fields["kind"].choices = vocabularies.choices("operation_kind")
        self.fields["establishments"].choices = [
            (e.pk, f"{e.name} ({e.municipality.name})") for e in establishments
        ]

    def clean_victims(self):
        return parse_references(self.cleaned_data.get("victims", ""))

    def clean_defendants(self):
        return parse_references(self.cleaned_data.get("defendants", ""))


def parse_department_counts(text: str, *, values_are_departments: bool = False) -> dict[str, object]:
    """'Department: number' lines (or 'Department: Department' for places counted within another)."""
    result: dict[str, object] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, separator, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not separator or not name or not value:
            raise forms.ValidationError(_("Write each line as 'Department: number'."))
        if values_are_departments:
            result[name] = value
            continue
        try:
            result[name] = result.get(name, 0) + int(value)
        except ValueError:
            raise forms.ValidationError(_("Write each line as 'Department: number'.")) from None
    return result


class SurveyReportForm(forms.Form):
    """A published survey as it was published (the NGO's report): its figures are then reconciled."""

    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("To"), widget=DATE_INPUT)
    establishments_visited = forms.IntegerField(label=_("Establishments visited"), min_value=0)
    establishments_with_minors = forms.IntegerField(
        label=_("Establishments where minors were found"), min_value=0, required=False
    )
    establishments_without_minors = forms.IntegerField(
        label=_("Establishments without minors"), min_value=0, required=False
    )
    minors_total = forms.IntegerField(label=_("Minors (stated total)"), min_value=0)
    minors_confirmed = forms.IntegerField(label=_("Minors confirmed"), min_value=0, required=False)
    minors_suspected = forms.IntegerField(
        label=_("Persons who appeared to be minors"), min_value=0, required=False
    )
    by_nationality = forms.CharField(
        label=_("Minors by nationality"),
        required=False,
        help_text=BREAKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    by_department = forms.CharField(
        label=_("Minors by department"),
        required=False,
        help_text=_("One per line, 'Department: number' (Guatemala: 120), as the report gives them"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    counted_within = forms.CharField(
        label=_("Places possibly counted within another"),
        required=False,
        help_text=_("One per line, 'Department: department whose figure may include it'"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_by_nationality(self):
        return parse_breakdown(self.cleaned_data.get("by_nationality", ""))

    def clean_by_department(self):
        return parse_department_counts(self.cleaned_data.get("by_department", ""))

    def clean_counted_within(self):
        return parse_department_counts(
            self.cleaned_data.get("counted_within", ""), values_are_departments=True
        )

    def values(self) -> dict[str, object]:
        """The cleaned figures, without the optional ones left empty."""
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
