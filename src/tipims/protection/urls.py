from django.urls import path

from tipims.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.victim_list, name="victims"),
    path("victims/new/", views.victim_create, name="victim_create"),
    path("victims/<slug:reference>/", views.victim_detail, name="victim"),
    path("victims/<slug:reference>/status/", views.victim_status, name="victim_status"),
    path("victims/<slug:reference>/cases/", views.case_open, name="case_open"),
    path("victims/<slug:reference>/placements/", views.placement_create, name="placement_create"),
    path("victims/<slug:reference>/consents/", views.consent_add, name="consent_add"),
    path("victims/<slug:reference>/referrals/", views.referral_create, name="referral_create"),
    path("victims/<slug:reference>/returns/", views.return_open, name="return_open"),
    path("victims/<slug:reference>/witness-measures/", views.witness_measure_add, name="witness_measure_add"),
    path("witness-measures/<int:pk>/decide/", views.witness_measure_decide, name="witness_measure_decide"),
    path("flag/", views.flag, name="flag"),
    path("receipts/<slug:reference>/", views.receipt, name="receipt"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<slug:reference>/", views.case_detail, name="case"),
    path("cases/<slug:reference>/status/", views.case_status, name="case_status"),
    path("cases/<slug:reference>/plans/", views.plan_add, name="plan_add"),
    path("cases/<slug:reference>/plans/<int:pk>/end/", views.plan_end, name="plan_end"),
    path("cases/<slug:reference>/assessments/", views.assessment_add, name="assessment_add"),
    path("cases/<slug:reference>/services/", views.service_add, name="service_add"),
    path("cases/<slug:reference>/notes/", views.note_add, name="note_add"),
    path("shelters/", views.shelter_list, name="shelters"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<slug:reference>/decide/", views.referral_decide, name="referral_decide"),
    path("returns/<slug:reference>/", views.return_detail, name="return"),
    path("returns/<slug:reference>/steps/<slug:step>/", views.return_step, name="return_step"),
    path("suspects/", views.suspect_add, name="suspect_add"),
    path("dashboard/", views.dashboard, name="dashboard"),
]

# Mounted under /api/ by tipims/urls.py (namespace "api"): the writes. The reads are listed there;
# POST /api/protection/victims/, PATCH /api/protection/victims/<reference>/ and POST
# /api/protection/shelters/ are served by api_writes' subclasses of the read views, mounted there too.
from tipims.protection import api_writes  # noqa: E402

_VICTIM = "protection/victims/<slug:reference>/"
_CASE = "protection/cases/<slug:reference>/"

api_patterns = [
    path(_VICTIM + "cases/", api_writes.CaseOpenView.as_view(), name="protection-case-open"),
    path(_VICTIM + "placements/", api_writes.PlacementView.as_view(), name="protection-placement-create"),
    path(_VICTIM + "consents/", api_writes.ConsentView.as_view(), name="protection-consent-record"),
    path(_VICTIM + "referrals/", api_writes.ReferralView.as_view(), name="protection-referral-create"),
    path(
        _VICTIM + "witness-measures/",
        api_writes.WitnessMeasureView.as_view(),
        name="protection-witness-measure-request",
    ),
    path(_VICTIM + "returns/", api_writes.ReturnView.as_view(), name="protection-return-open"),
    path(_CASE + "status/", api_writes.CaseStatusView.as_view(), name="protection-case-status"),
    path(_CASE + "plans/", api_writes.SupportPlanView.as_view(), name="protection-plan-add"),
    path(_CASE + "plans/<int:pk>/end/", api_writes.SupportPlanEndView.as_view(), name="protection-plan-end"),
    path(_CASE + "assessments/", api_writes.AssessmentView.as_view(), name="protection-assessment-record"),
    path(_CASE + "services/", api_writes.ServiceView.as_view(), name="protection-service-deliver"),
    path(_CASE + "notes/", api_writes.NoteView.as_view(), name="protection-note-add"),
    path(
        "protection/placements/<int:pk>/end/",
        api_writes.PlacementEndView.as_view(),
        name="protection-placement-end",
    ),
    path(
        "protection/consents/<int:pk>/withdraw/",
        api_writes.ConsentWithdrawView.as_view(),
        name="protection-consent-withdraw",
    ),
    path(
        "protection/referrals/<slug:reference>/decide/",
        api_writes.ReferralDecideView.as_view(),
        name="protection-referral-decide",
    ),
    path(
        "protection/witness-measures/<int:pk>/decide/",
        api_writes.WitnessMeasureDecideView.as_view(),
        name="protection-witness-measure-decide",
    ),
    path(
        "protection/returns/<slug:reference>/steps/<slug:step>/",
        api_writes.ReturnStepView.as_view(),
        name="protection-return-step",
    ),
]
