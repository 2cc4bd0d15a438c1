from django import forms
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "htcds": _("HTCDS tables (XLSX workbook or one CSV table)"),
    "submissions": _("KoboToolbox / ODK Central submissions of the monitoring-visit form (CSV or JSON)"),
    "pprl": _("A partner country's privacy-preserving encodings (JSON)"),
    "ftm": _("A partner's FollowTheMoney entities (JSON lines), as pending watchlist entries"),
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File"))
    partner = forms.CharField(
        label=_("Partner"),
        max_length=120,
        required=False,
        help_text=_("For encodings, the partner's name; for FollowTheMoney, the partner institution's code."),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
