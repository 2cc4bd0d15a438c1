from django import forms
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.accounts.policy import Action, FieldGroup
from tipims.core import countries, vocabularies
from tipims.people.access import CONTACT_FIELDS
from tipims.people.models import BirthDatePrecision, PersonRecord

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), required=False, max_length=12)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    sex = forms.ChoiceField(label=_("Sex / gender"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", _("any")), *vocabularies.choices("prs_Gender")]
        self.fields["citizenship"].choices = [("", _("any")), *countries.choices()]


class PersonForm(forms.Form):
    """Only the field groups the user may write appear; the service checks again."""

    given_names = forms.CharField(label=_("Given names"), required=False, max_length=120)
    surname1 = forms.CharField(label=_("First surname"), required=False, max_length=80)
    surname2 = forms.CharField(label=_("Second surname"), required=False, max_length=80)
    birth_date_precision = forms.ChoiceField(label=_("Date of birth is"), choices=BirthDatePrecision.choices)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=120)
    age_estimated_on = forms.DateField(label=_("Age estimated on"), required=False, widget=DATE_INPUT)
    sex = forms.ChoiceField(label=_("Sex / gender"))
    citizenships = forms.MultipleChoiceField(label=_("Citizenships"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    address = forms.CharField(
        label=_("Address"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_type = forms.ChoiceField(label=_("Document type"), required=False)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    issuing_country = forms.ChoiceField(label=_("Issuing country"), required=False)

    IDENTITY = (
        "given_names",
        "surname1",
        "surname2",
        "birth_date_precision",
        "birth_date",
        "estimated_age",
        "age_estimated_on",
    )
    DOCUMENT = ("document_type", "document_number", "issuing_country")

    def __init__(self, *args, user, record: PersonRecord | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = vocabularies.choices("prs_Gender")
        self.fields["citizenships"].choices = countries.choices()
        self.fields["document_type"].choices = [("", "—"), *vocabularies.choices("document_type")]
        self.fields["issuing_country"].choices = [("", "—"), *countries.choices()]
        if record is None:
            allowed = {g for g in FieldGroup if policy.can_create(user, PersonRecord, g)}
        else:
            allowed = set(policy.field_groups(user, record, action=Action.CHANGE))
            (
                self.fields.pop("document_type"),
                self.fields.pop("document_number"),
                self.fields.pop("issuing_country"),
            )
        hidden = set()
        if FieldGroup.IDENTITY not in allowed:
            hidden |= {*self.IDENTITY, *self.DOCUMENT}
        if FieldGroup.CONTACT not in allowed:
            hidden |= set(CONTACT_FIELDS)
        if FieldGroup.CASE not in allowed:
            hidden |= {"sex", "citizenships"}
        for name in hidden:
            self.fields.pop(name, None)

    def clean(self):
        data = super().clean()
        if data.get("document_number") and not data.get("document_type"):
            self.add_error("document_type", _("Choose the type of the document."))
        return data

    def person_values(self) -> dict:
        names = [n for n in self.fields if n not in self.DOCUMENT]
        values = {name: self.cleaned_data.get(name) for name in names}
        for name in ("given_names", "surname1", "surname2", "phone", "address"):
            if name in values and values[name] is None:
                values[name] = ""
        return values

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        order = [
            (_("Identity"), self.IDENTITY),
            (_("Identity document"), self.DOCUMENT),
            (_("Details"), ("sex", "citizenships")),
            (_("Contact"), CONTACT_FIELDS),
        ]
        grouped = [(legend, [self[name] for name in names if name in self.fields]) for legend, names in order]
        return [(legend, fields) for legend, fields in grouped if fields]
