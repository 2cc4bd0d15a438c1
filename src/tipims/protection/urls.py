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
    path("flag/", views.flag, name="flag"),
    path("receipts/<slug:reference>/", views.receipt, name="receipt"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<slug:reference>/", views.case_detail, name="case"),
    path("cases/<slug:reference>/status/", views.case_status, name="case_status"),
    path("cases/<slug:reference>/plans/", views.plan_add, name="plan_add"),
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
