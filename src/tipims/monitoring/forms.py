from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipims.core import countries, vocabularies
from tipims.core.models import Municipality

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BREAKDOWN_HELP = _("One per line, 'country code: number' (GT: 3, HN: 1, unknown: 2)")


class EstablishmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Type"))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, establishments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = vocabularies.choices("operation_kind")
        self.fields["establishments"].choices = [
            (e.pk, f"{e.name} ({e.municipality.name})") for e in establishments
        ]
