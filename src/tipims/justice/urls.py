from django.urls import path

from tipims.justice import views

app_name = "justice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/new/", views.complaint_create, name="complaint-create"),
    path("complaints/<slug:reference>/", views.complaint_detail, name="complaint"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<slug:reference>/", views.case_detail, name="case"),
    path("cases/<slug:reference>/brief/", views.case_brief, name="case-brief"),
    path("cases/<slug:reference>/brief.pdf", views.case_brief_pdf, name="case-brief-pdf"),
    path("cases/<slug:reference>/record/<slug:what>/", views.case_record, name="case-record"),
    path("integrity/", views.integrity_list, name="integrity"),
    path("integrity/new/", views.integrity_create, name="integrity-create"),
    path("integrity/<slug:reference>/", views.integrity_detail, name="integrity-case"),
]

# Mounted under /api/ by tipims/urls.py (namespace "api"): the writes; the reads are listed there.
from tipims.justice import api_writes  # noqa: E402

api_patterns = [
    path(
        "justice/complaints/<slug:reference>/triage/",
        api_writes.ComplaintTriageView.as_view(),
        name="justice-complaint-triage",
    ),
    path(
        "justice/cases/<slug:reference>/phases/",
        api_writes.CasePhaseView.as_view(),
        name="justice-case-phase",
    ),
    path(
        "justice/cases/<slug:reference>/disposition/",
        api_writes.CaseDispositionView.as_view(),
        name="justice-case-disposition",
    ),
    path(
        "justice/cases/<slug:reference>/defendants/",
        api_writes.CaseDefendantView.as_view(),
        name="justice-case-defendants",
    ),
    path(
        "justice/cases/<slug:reference>/measures/",
        api_writes.CaseMeasureView.as_view(),
        name="justice-case-measures",
    ),
    path(
        "justice/cases/<slug:reference>/charges/",
        api_writes.CaseChargeView.as_view(),
        name="justice-case-charges",
    ),
    path(
        "justice/cases/<slug:reference>/judgments/",
        api_writes.CaseJudgmentView.as_view(),
        name="justice-case-judgments",
    ),
    path(
        "justice/cases/<slug:reference>/appeals/",
        api_writes.CaseAppealView.as_view(),
        name="justice-case-appeals",
    ),
    path("justice/provisions/", api_writes.ProvisionListView.as_view(), name="justice-provisions"),
    path(
        "justice/integrity/<slug:reference>/",
        api_writes.IntegrityDetailView.as_view(),
        name="justice-integrity-case",
    ),
    path(
        "justice/integrity/<slug:reference>/outcome/",
        api_writes.IntegrityOutcomeView.as_view(),
        name="justice-integrity-outcome",
    ),
]
