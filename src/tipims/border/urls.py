from django.urls import path

from tipims.border import views

app_name = "border"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("crossings/", views.crossing_list, name="crossings"),
    path("crossings/new/", views.crossing_create, name="crossing-create"),
    path("crossings/<slug:reference>/", views.crossing_detail, name="crossing-detail"),
    path("receptions/", views.reception_list, name="receptions"),
    path("receptions/new/", views.reception_create, name="reception-create"),
    path("watchlist/", views.watchlist_list, name="watchlist"),
    path("watchlist/new/", views.watchlist_create, name="watchlist-create"),
    path("watchlist/<slug:reference>/", views.watchlist_detail, name="watchlist-detail"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<slug:reference>/", views.alert_detail, name="alert-detail"),
]

# Mounted under /api/ by tipims/urls.py (namespace "api").
from tipims.border import api  # noqa: E402

api_patterns = [
    path("border/points/", api.PointListView.as_view(), name="border-points"),
    path("border/crossings/", api.CrossingListView.as_view(), name="border-crossings"),
    path("border/crossings/<slug:reference>/", api.CrossingDetailView.as_view(), name="border-crossing"),
    path("border/receptions/", api.ReceptionListView.as_view(), name="border-receptions"),
    path("border/watchlist/", api.WatchlistView.as_view(), name="border-watchlist"),
    path(
        "border/watchlist/<slug:reference>/", api.WatchlistEntryView.as_view(), name="border-watchlist-entry"
    ),
    path(
        "border/watchlist/<slug:reference>/approve/",
        api.WatchlistApproveView.as_view(),
        name="border-watchlist-approve",
    ),
    path("border/alerts/", api.AlertListView.as_view(), name="border-alerts"),
    path("border/alerts/<slug:reference>/", api.AlertDetailView.as_view(), name="border-alert"),
    path("border/alerts/<slug:reference>/decide/", api.AlertDecideView.as_view(), name="border-alert-decide"),
]
