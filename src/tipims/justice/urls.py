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
