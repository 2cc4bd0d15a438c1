from django.urls import path

from tipims.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("establishments/", views.establishment_list, name="establishments"),
    path("establishments/new/", views.establishment_create, name="establishment-create"),
    path("establishments/<int:pk>/", views.establishment_detail, name="establishment"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("operations/", views.operation_list, name="operations"),
    path("operations/new/", views.operation_create, name="operation-create"),
    path("operations/<int:pk>/", views.operation_detail, name="operation"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
]

# Mounted under /api/ by tipims/urls.py (namespace "api").
from tipims.monitoring import api  # noqa: E402

api_patterns = [
    path("monitoring/establishments/", api.EstablishmentListView.as_view(), name="monitoring-establishments"),
    path("monitoring/visits/", api.VisitListView.as_view(), name="monitoring-visits"),
    path("monitoring/operations/", api.OperationListView.as_view(), name="monitoring-operations"),
    path("monitoring/surveys/", api.SurveyReportListView.as_view(), name="monitoring-surveys"),
]
