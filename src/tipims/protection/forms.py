from django import forms
from django.utils.translation import gettext_lazy as _

from tipims.accounts.models import Institution, User
from tipims.accounts.roles import Role
from tipims.core import countries, vocabularies
from tipims.people.forms import DATE_INPUT, PersonForm


def _choices(name: str, blank: bool = True):
    def build():
        terms = vocabularies.choices(name)
        return [("", "—"), *terms] if blank else terms

    return build


def _multi(name: str, label):
    return forms.MultipleChoiceField(
        label=label, required=False, choices=_choices(name, blank=False), widget=forms.CheckboxSelectMultiple
    )


class VictimFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), required=False, max_length=12)
    status = forms.ChoiceField(
        label=_("Trafficking status"), required=False, choices=_choices("vic_TraffickingStatus")
    )
    age_group = forms.ChoiceField(label=_("Age group"), required=False, choices=_choices("victim_age_group"))


class VictimContextForm(forms.Form):
    """The HTCDS victim context, with the standard indicators as guidance."""

    identified_on = forms.DateField(label=_("Identification date"), widget=DATE_INPUT)
    screening_indicators = _multi("screening_indicator", _("Screening: indicators observed in the interview"))
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=_choices("vic_TraffickingStatus", False)
    )
    status_decided_by = forms.ChoiceField(
        label=_("Organisation type that decided the status"),
        required=False,
        choices=_choices("vic_TraffickingStatusDecisionMakingOrg"),
    )
    recruitment_methods = _multi("vic_MethodOfRecruitment", _("Methods of recruitment"))
    recruitment_place = forms.CharField(label=_("Place of recruitment"), required=False, max_length=200)
    control_methods = _multi("vic_MethodsOfControl", _("Methods of control (indicators)"))
    exploitation_types = _multi("vic_TypeOfExploitation", _("Types of exploitation"))
    forced_labour_industry = forms.ChoiceField(
        label=_("Forced labour industry (ISIC)"), required=False, choices=_choices("vic_ForcedLabourIndustry")
    )
    sex_exploitation_types = _multi("vic_TypeOfSexExploitation", _("Types of sexual exploitation"))
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficked"), required=False, min_value=0, max_value=120
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to the trafficker"),
        required=False,
        choices=_choices("vic_RelationshipToTrafficker"),
    )

    def values(self) -> dict:
        return dict(self.cleaned_data)


class VictimStatusForm(forms.Form):
    """The two fields of the victim's page that change the trafficking status (a light form: the page
    renders many)."""

    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=_choices("vic_TraffickingStatus", False)
    )
    status_decided_by = forms.ChoiceField(
        label=_("Organisation type that decided the status"),
        required=False,
        choices=_choices("vic_TraffickingStatusDecisionMakingOrg"),
    )


class IdentifyPersonForm(PersonForm):
    """The person part of identifying a new victim (the people app's form, unchanged)."""


class FlagForm(forms.Form):
    """What a border or police officer records when flagging a possible victim."""

    given_names = forms.CharField(label=_("Given names"), required=False, max_length=120)
    surname1 = forms.CharField(label=_("First surname"), required=False, max_length=80)
    surname2 = forms.CharField(label=_("Second surname"), required=False, max_length=80)
    sex = forms.ChoiceField(label=_("Sex / gender"), choices=_choices("prs_Gender", False))
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=120)
    citizenship = forms.ChoiceField(
        label=_("Citizenship"), required=False, choices=lambda: [("", "—"), *countries.choices()]
    )
    exploitation_types = _multi("vic_TypeOfExploitation", _("Suspected types of exploitation"))
    observations = forms.CharField(
        label=_("Indicators observed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def person_values(self) -> dict:
        data = self.cleaned_data
        values = {
            "given_names": data.get("given_names") or "",
            "surname1": data.get("surname1") or "",
            "surname2": data.get("surname2") or "",
            "sex": data["sex"],
            "citizenships": [data["citizenship"]] if data.get("citizenship") else [],
        }
        if data.get("estimated_age") is not None:
            values.update(birth_date_precision="estimated", estimated_age=data["estimated_age"])
        return values


class CaseOpenForm(forms.Form):
    opened_on = forms.DateField(label=_("Opened"), widget=DATE_INPUT)
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = User.objects.filter(
            institution_id=user.institution_id, memberships__role=Role.CASEWORKER, is_active=True
        ).distinct()


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=_choices("cas_Status", False))
    closure_reason = forms.CharField(
        label=_("Reason for case closure"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SupportPlanForm(forms.Form):
    plan_type = forms.ChoiceField(label=_("Type"), choices=_choices("spl_Type", False))
    objectives = forms.CharField(
        label=_("Objectives"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_plan = forms.CharField(
        label=_("Action plan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_end = forms.DateField(label=_("Planned end date"), required=False, widget=DATE_INPUT)


class PlanEndForm(forms.Form):
    actual_end = forms.DateField(label=_("Actual end date"), widget=DATE_INPUT)


def _factor_choices():
    """Risk factors grouped by HTCDS level; the service checks they belong to the chosen level."""
    return [
        (level.label(), vocabularies.choices(f"assessment_factor_{level.code}"))
        for level in vocabularies.terms("assessment_level")
    ]


class AssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=_choices("assessment_level", False))
    assessed_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=_choices("risk_level", False))
    factors = forms.MultipleChoiceField(
        label=_("Risk factors present"),
        required=False,
        choices=_factor_choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    notes = forms.CharField(
        label=_("Observations"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WitnessMeasureForm(forms.Form):
    criminal_case = forms.CharField(label=_("Criminal case (reference K-... or number)"), max_length=20)
    measure = forms.ChoiceField(label=_("Measure"), choices=_choices("witness_measure_type", False))
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE_INPUT)
    requested_from = forms.CharField(label=_("Requested from (court or office)"), max_length=200)


class WitnessDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("granted", _("Granted")), ("denied", _("Denied"))]
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_INPUT)
    deciding_authority = forms.CharField(label=_("Deciding authority"), max_length=200)
    decision_reference = forms.CharField(label=_("Decision reference"), required=False, max_length=60)


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=_choices("service_type", False))
    delivered_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    provider = forms.CharField(label=_("Provider"), max_length=200)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ShelterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    department = forms.CharField(label=_("Department"), required=False, max_length=80)
    capacity_female_minor = forms.IntegerField(
        label=_("Places for girls"), min_value=0, max_value=1000, initial=0
    )
    capacity_male_minor = forms.IntegerField(
        label=_("Places for boys"), min_value=0, max_value=1000, initial=0
    )
    capacity_female_adult = forms.IntegerField(
        label=_("Places for women"), min_value=0, max_value=1000, initial=0
    )
    capacity_male_adult = forms.IntegerField(
        label=_("Places for men"), min_value=0, max_value=1000, initial=0
    )


class PlacementForm(forms.Form):
    shelter = forms.ModelChoiceField(label=_("Shelter"), queryset=None)
    court = forms.CharField(label=_("Court"), max_length=200)
    court_reference = forms.CharField(label=_("Court order reference"), max_length=60)
    court_order_date = forms.DateField(label=_("Court order date"), widget=DATE_INPUT)
    start = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    emergency_reason = forms.CharField(
        label=_("Emergency reason (only to place over capacity)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, shelters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shelter"].queryset = shelters


class PlacementEndForm(forms.Form):
    end = forms.DateField(label=_("End"), widget=DATE_INPUT)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=_choices("consent_purpose", False))
    shared_with = forms.ModelChoiceField(
        label=_("Institution (for sharing)"), queryset=Institution.objects.order_by("name"), required=False
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE_INPUT)


class ReferralForm(forms.Form):
    to_institution = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Institution.objects.order_by("name")
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=_choices("cas_ReasonForOutgoingReferral", False))
    details = forms.CharField(
        label=_("Details"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    court_order_reference = forms.CharField(
        label=_("Court order reference (legal basis without consent)"), required=False, max_length=120
    )


class ReferralDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


# Returns go overland or by air to the countries victims come from; a short list keeps the victim's
# page light (the whole ISO list is 250 options on a page with six forms).
RETURN_COUNTRIES = (
    "MX",
    "BZ",
    "HN",
    "SV",
    "NI",
    "CR",
    "PA",
    "CO",
    "EC",
    "PE",
    "VE",
    "CU",
    "DO",
    "HT",
    "US",
    "CN",
)


def _return_countries():
    return [(code, countries.name(code)) for code in RETURN_COUNTRIES]


class ReturnForm(forms.Form):
    origin_country = forms.ChoiceField(label=_("Country of origin"), choices=_return_countries)
    receiving_institution = forms.CharField(
        label=_("Receiving institution of the country of origin"), max_length=200
    )
    border_point = forms.ChoiceField(
        label=_("Border point of the handover"), choices=_choices("return_border_point", False)
    )
    family_member = forms.CharField(
        label=_("Receiving family member (person reference)"), required=False, max_length=12
    )


class ReturnStepForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    responsible = forms.CharField(label=_("Responsible institution"), max_length=200)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class SuspectForm(forms.Form):
    person = forms.CharField(label=_("Person reference"), max_length=12)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class StatsPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
