"""Forms of the justice pages. They only shape input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tipims.accounts.models import Institution
from tipims.core import countries, vocabularies
from tipims.core.models import Department, Municipality
from tipims.justice.models import LegalProvision
from tipims.justice.widgets import (
    QuickCheckboxInput,
    QuickDateInput,
    QuickNumberInput,
    QuickSelect,
    QuickTextInput,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE_INPUT)


def _any(name: str) -> list[tuple[str, str]]:
    return [("", _("any")), *vocabularies.choices(name)]


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Triage status"), required=False, widget=QuickSelect)
    channel = forms.ChoiceField(label=_("Channel"), required=False, widget=QuickSelect)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("any"),
        widget=QuickSelect,
    )
    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        widget=QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        widget=QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=12, widget=QuickTextInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _any("complaint_status")
        self.fields["channel"].choices = _any("complaint_channel")


class ComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"))
    received_on = _date(_("Received on"))
    occurred_on = _date(_("Events occurred on"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.select_related("department"), required=False
    )
    narrative = forms.CharField(
        label=_("Narrative"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    indicators = forms.MultipleChoiceField(
        label=_("Trafficking indicators"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Forms of exploitation"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = vocabularies.choices("complaint_channel")
        self.fields["indicators"].choices = vocabularies.choices("complaint_indicator")
        self.fields["exploitation_types"].choices = vocabularies.choices("vic_TypeOfExploitation")


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("referred", _("Refer to another institution")), ("closed", _("Close"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    referred_to = forms.ModelChoiceField(
        label=_("Referred to"), queryset=Institution.objects.filter(is_active=True), required=False
    )
    on = _date(_("Date of the decision"))


class CaseFilterForm(forms.Form):
    """Drawn above every page of the case list: its widgets render in Python (justice/widgets.py)."""

    number = forms.CharField(label=_("Case number"), required=False, max_length=20, widget=QuickTextInput)
    phase = forms.ChoiceField(label=_("Phase"), required=False, widget=QuickSelect)
    disposition = forms.ChoiceField(label=_("Disposition"), required=False, widget=QuickSelect)
    offence = forms.ChoiceField(label=_("Offence charged"), required=False, widget=QuickSelect)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("any"),
        widget=QuickSelect,
    )
    year = forms.IntegerField(
        label=_("Year opened"), required=False, min_value=1990, max_value=2100, widget=QuickNumberInput
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False, widget=QuickCheckboxInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = _any("criminal_case_phase")
        self.fields["disposition"].choices = _any("criminal_case_disposition")
        self.fields["offence"].choices = _any("offence")


class CaseForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20, help_text=_("Such as 9023-03."))
    offence_date = _date(_("Date of the offence"))
    opened_on = _date(_("Opened on"))
    district = forms.CharField(label=_("District"), max_length=80, required=False)
    court = forms.CharField(label=_("Court"), max_length=120, required=False)
    unit = forms.CharField(label=_("Prosecution unit"), max_length=120, required=False)
    department = forms.ModelChoiceField(
        label=_("Department of the offence"), queryset=Department.objects.all(), required=False
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Forms of exploitation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Summary of the facts"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    complaints = forms.CharField(
        label=_("Complaints (references, separated by spaces)"), required=False, max_length=400
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exploitation_types"].choices = vocabularies.choices("vic_TypeOfExploitation")


def provision_choices() -> list[tuple[int, str]]:
    english = (get_language() or "es").startswith("en")
    return [
        (
            provision.pk,
            f"{provision.law_en if english else provision.law_es} art. {provision.article} – "
            f"{provision.title_en if english else provision.title_es} "
            f"({_('in force from')} {provision.effective_from:%Y-%m-%d})",
        )
        for provision in LegalProvision.objects.all()
    ]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"))
    date = _date(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = vocabularies.choices("criminal_case_phase")


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Disposition"))
    date = _date(_("Date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disposition"].choices = vocabularies.choices("criminal_case_disposition")


class ComplaintReferenceForm(forms.Form):
    """A complaint of the office still waiting for triage, linked to this case."""

    reference = forms.CharField(
        label=_("Complaint reference"), max_length=12, help_text=_("Such as D-7KQ2M9XA.")
    )


class PersonReferenceForm(forms.Form):
    """A person record of the office, by its reference (record the person first under People)."""

    person = forms.CharField(
        label=_("Person record reference"), max_length=12, help_text=_("Such as P-7KQ2M9XA.")
    )


class DefendantForm(PersonReferenceForm):
    roles = forms.MultipleChoiceField(
        label=_("Role in the process"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_public_official = forms.BooleanField(label=_("Public official"), required=False)
    official_institution = forms.CharField(
        label=_("Institution of the official"), max_length=200, required=False
    )
    official_position = forms.CharField(label=_("Position"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = vocabularies.choices("per_RoleInProcess")


class MeasureForm(forms.Form):
    defendant = forms.TypedChoiceField(label=_("Defendant"), coerce=int)
    kind = forms.ChoiceField(label=_("Measure"))
    date = _date(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    ordered_by = forms.CharField(label=_("Ordered by"), max_length=200, required=False)
    bail_gtq = forms.DecimalField(
        label=_("Bail (GTQ)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, defendants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].choices = list(defendants)
        self.fields["kind"].choices = vocabularies.choices("justice_measure")


class ChargeForm(forms.Form):
    defendant = forms.TypedChoiceField(label=_("Defendant"), coerce=int)
    provision = forms.TypedChoiceField(label=_("Legal provision"), coerce=int)
    filed_on = _date(_("Filed on"))
    offence_date = _date(_("Date of the offence (if not the case's)"), required=False)
    aggravating_factors = forms.CharField(
        label=_("Aggravating factors (codes, separated by spaces)"), required=False, max_length=200
    )

    def __init__(self, *args, defendants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].choices = list(defendants)
        self.fields["provision"].choices = provision_choices()


class JudgmentForm(forms.Form):
    charge = forms.TypedChoiceField(label=_("Charge"), coerce=int)
    verdict = forms.ChoiceField(label=_("Verdict"))
    date = _date(_("Date"))
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    prison_years = forms.DecimalField(
        label=_("Prison (years)"), required=False, min_value=0, max_digits=5, decimal_places=2
    )
    fine_gtq = forms.DecimalField(
        label=_("Fine (GTQ)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    suspended = forms.BooleanField(label=_("Suspended sentence"), required=False)
    departure_reason = forms.CharField(
        label=_("Reason for a sentence outside the legal range"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_final = forms.BooleanField(label=_("Final (no further appeal)"), required=False)

    def __init__(self, *args, charges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charge"].choices = list(charges)
        self.fields["verdict"].choices = vocabularies.choices("verdict")


class AppealForm(forms.Form):
    judgment = forms.TypedChoiceField(label=_("Judgment"), coerce=int)
    filed_by = forms.ChoiceField(label=_("Filed by"))
    filed_on = _date(_("Filed on"))
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"))
    decided_on = _date(_("Decided on"), required=False)

    def __init__(self, *args, judgments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judgment"].choices = list(judgments)
        self.fields["filed_by"].choices = vocabularies.choices("appeal_party")
        self.fields["outcome"].choices = vocabularies.choices("appeal_outcome")


class IntegrityFilterForm(forms.Form):
    proceeding = forms.ChoiceField(label=_("Proceeding"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    year = forms.IntegerField(label=_("Year opened"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proceeding"].choices = _any("integrity_proceeding")
        self.fields["outcome"].choices = _any("integrity_outcome")


class IntegrityCaseForm(PersonReferenceForm):
    official_institution = forms.ModelChoiceField(
        label=_("Institution of the official"), queryset=Institution.objects.filter(is_active=True)
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    allegations = forms.MultipleChoiceField(label=_("Allegations"), widget=forms.CheckboxSelectMultiple)
    proceeding = forms.ChoiceField(label=_("Proceeding"))
    opened_on = _date(_("Opened on"))
    details = forms.CharField(
        label=_("Details"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allegations"].choices = vocabularies.choices("integrity_allegation")
        self.fields["proceeding"].choices = vocabularies.choices("integrity_proceeding")


class IntegrityOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"))
    outcome_on = _date(_("Date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            c for c in vocabularies.choices("integrity_outcome") if c[0] != "pending"
        ]


class StatisticsForm(forms.Form):
    start = _date(_("From"), required=False)
    end = _date(_("To"), required=False)


def country_label(code: str) -> str:
    return countries.name(code)
