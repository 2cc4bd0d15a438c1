"""Forms of prevention: they shape input for the services, which validate again and name the field."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipims.accounts.models import Institution
from tipims.core import vocabularies
from tipims.core.models import Department
from tipims.prevention.models import CommitmentStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_BREAKDOWN_ROWS = 8


def _institutions():
    return Institution.objects.filter(is_active=True).order_by("name")


def _departments():
    return [(d.code, d.name) for d in Department.objects.order_by("code")]


class GroupedForm(forms.Form):
    """A form shown in fieldsets, in the order the person fills it in (a guided form)."""

    GROUPS: tuple = ()

    def groups(self):
        grouped = [(legend, [self[n] for n in names if n in self.fields]) for legend, names in self.GROUPS]
        return [(legend, fields) for legend, fields in grouped if fields]


class CampaignFilterForm(forms.Form):
    medium = forms.ChoiceField(label=_("Medium"), required=False)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medium"].choices = [("", _("any")), *vocabularies.choices("campaign_medium")]
        self.fields["department"].choices = [("", _("any")), *_departments()]


class CampaignForm(GroupedForm):
    institution = forms.ModelChoiceField(
        label=_("Institution that ran it"), queryset=Institution.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    medium = forms.ChoiceField(label=_("Medium"))
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), widget=forms.CheckboxSelectMultiple, help_text=_("Choose at least one.")
    )
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        required=False,
        coerce=int,
        help_text=_("Leave empty for a national campaign."),
    )
    start = forms.DateField(label=_("Start"), widget=DATE_INPUT)
    end = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    reach = forms.IntegerField(label=_("People reached"), required=False, min_value=0)
    cost = forms.DecimalField(
        label=_("Cost (GTQ)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    funding_source = forms.CharField(label=_("Funding source"), required=False, max_length=200)
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Descriptions and links, one per line."),
    )

    GROUPS = (
        (_("What"), ("institution", "title", "medium", "materials")),
        (_("Who and where"), ("audiences", "departments")),
        (_("When"), ("start", "end")),
        (_("Results and cost"), ("reach", "cost", "funding_source")),
    )

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medium"].choices = vocabularies.choices("campaign_medium")
        self.fields["audiences"].choices = vocabularies.choices("campaign_audience")
        self.fields["departments"].choices = _departments()
        if on_behalf:  # the coordinator records campaigns that institutions report on paper
            self.fields["institution"].queryset = _institutions()
        else:
            del self.fields["institution"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "title",
                "medium",
                "audiences",
                "start",
                "end",
                "reach",
                "cost",
                "funding_source",
                "materials",
            )
        }


class TrainingFilterForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", _("any")), *vocabularies.choices("training_audience")]


class TrainingForm(GroupedForm):
    institution = forms.ModelChoiceField(
        label=_("Institution that gave it"), queryset=Institution.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"))
    partner = forms.CharField(
        label=_("Partner"), required=False, max_length=200, help_text=_("e.g. IOM, UNICEF")
    )
    start = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Last day"), required=False, widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=1)
    women = forms.IntegerField(label=_("Women"), min_value=0, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, initial=0)
    other = forms.IntegerField(label=_("Other or unknown"), min_value=0, initial=0)

    GROUPS = (
        (_("What"), ("institution", "title", "audience", "partner")),
        (_("When"), ("start", "end", "hours")),
        (_("People trained, by sex"), ("women", "men", "other")),
    )

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = vocabularies.choices("training_audience")
        for i in range(MAX_BREAKDOWN_ROWS):
            self.fields[f"row{i}_name"] = forms.CharField(
                label=_("Institution"), required=False, max_length=200
            )
            self.fields[f"row{i}_people"] = forms.IntegerField(label=_("People"), required=False, min_value=1)
        if on_behalf:
            self.fields["institution"].queryset = _institutions()
        else:
            del self.fields["institution"]

    def breakdown_fields(self):
        return [(self[f"row{i}_name"], self[f"row{i}_people"]) for i in range(MAX_BREAKDOWN_ROWS)]

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("title", "audience", "partner", "start", "end", "hours", "women", "men", "other")
        }

    def rows(self):
        from tipims.prevention.services import TrainedRow

        rows = []
        for i in range(MAX_BREAKDOWN_ROWS):
            name = (self.cleaned_data.get(f"row{i}_name") or "").strip()
            people = self.cleaned_data.get(f"row{i}_people")
            if name or people:
                rows.append(TrainedRow(name, people or 0))
        return rows


class CommitmentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    institution = forms.TypedChoiceField(label=_("Responsible"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any")), *vocabularies.choices("commitment_status")]
        self.fields["institution"].choices = [("", _("any")), *[(i.pk, i.name) for i in _institutions()]]


class CommitmentForm(GroupedForm):
    text = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 3}))
    institutions = forms.ModelMultipleChoiceField(
        label=_("Responsible institutions"),
        queryset=Institution.objects.none(),
        required=False,  # the service refuses an empty list with its own message
        widget=forms.CheckboxSelectMultiple,
    )
    made_on = forms.DateField(label=_("Made on"), required=False, widget=DATE_INPUT)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status"), choices=CommitmentStatus.choices, help_text=_('"Late" follows from the due date.')
    )

    GROUPS = (
        (_("What was committed"), ("text", "made_on")),
        (_("Who keeps it"), ("institutions",)),
        (_("By when"), ("due_date", "status")),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = _institutions()
        self.fields["status"].choices = [
            (c, vocabularies.label("commitment_status", c)) for c in CommitmentStatus.values
        ]
        if editing:
            del self.fields["made_on"]


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("New status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("unchanged")),
            *[(c, vocabularies.label("commitment_status", c)) for c in CommitmentStatus.values],
        ]


EVIDENCE_TYPES = (
    ("prevention.campaign", _("Campaign")),
    ("prevention.training", _("Training")),
    ("prevention.meeting", _("Coordination meeting")),
    ("justice.criminalcase", _("Criminal case")),
    ("justice.complaint", _("Complaint")),
    ("protection.victim", _("Victim record")),
    ("border.alert", _("Border alert")),
)


class EvidenceForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Type of record"), choices=EVIDENCE_TYPES)
    reference = forms.CharField(label=_("Reference"), max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class MeetingForm(GroupedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    institutions_present = forms.ModelMultipleChoiceField(
        label=_("Institutions present"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One decision per line; each can become a commitment later."),
    )

    GROUPS = (
        (_("Meeting"), ("title", "held_on", "notes")),
        (_("Present"), ("institutions_present",)),
        (_("Decisions taken"), ("decisions",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions_present"].queryset = _institutions()


class DecisionCommitmentForm(forms.Form):
    """Turn a decision into a commitment: who keeps it and by when."""

    institutions = forms.ModelMultipleChoiceField(
        label=_("Responsible institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = _institutions()


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def period(self):
        """The reporting year that contains today (April 1 to March 31) unless dates are given."""
        today = timezone.localdate()
        first = today.year if today.month >= 4 else today.year - 1
        start, end = datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        if end < start:
            start, end = end, start
        return start, end
