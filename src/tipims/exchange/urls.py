from django.urls import path

from tipims.exchange import api, views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("export/htcds/", views.export_htcds, name="export-htcds"),
    path("export/pprl/", views.export_pprl, name="export-pprl"),
    path("export/ftm/", views.export_ftm, name="export-ftm"),
    path("export/ctdc.csv", views.export_ctdc, name="export-ctdc"),
    path("forms/monitoring-visit.xlsx", views.visit_form, name="visit-form"),
    path("forms/screening.xlsx", views.screening_form, name="screening-form"),
    path("partners/<str:reference>/", views.partner_matches, name="partner-matches"),
]

# Mounted under /api/ by tipims/urls.py (namespace "api").
api_patterns = [
    path("exchange/imports/", api.ImportView.as_view(), name="exchange-imports"),
    path("exchange/ctdc.csv", api.CtdcView.as_view(), name="exchange-ctdc"),
]
