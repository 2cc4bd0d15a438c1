from django.urls import path

from tipims.reporting import api, views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("builds/<int:pk>/", views.build, name="build"),
    path("builds/<int:pk>/status.json", views.build_status, name="build-status"),
    path("builds/<int:pk>/file", views.build_file, name="build-file"),
    path("builds/<int:pk>/again/", views.build_again, name="build-again"),
    path("builds/<int:pk>/tables/<slug:key>.csv", views.build_table, name="build-table"),
    path("narratives/<str:start>/<str:end>/", views.narratives, name="narratives"),
    path("narratives/<str:start>/<str:end>/<slug:key>/", views.narrative_edit, name="narrative-edit"),
    path("population/", views.population, name="population"),
]

# Mounted under /api/ by tipims/urls.py (namespace "api").
api_patterns = [
    path("reports/builds/", api.BuildListView.as_view(), name="report-builds"),
    path("reports/population/", api.PopulationListView.as_view(), name="report-population"),
]
