from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tipims.accounts.admin import site as admin_site
from tipims.accounts.api import InstitutionListView, MeView
from tipims.audit.api import AuditEventListView
from tipims.people.api import PersonDetailView, PersonListView
from tipims.web import views as web_views

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("me/", MeView.as_view(), name="me"),
    path("institutions/", InstitutionListView.as_view(), name="institutions"),
    path("people/", PersonListView.as_view(), name="people"),
    path("people/<slug:reference>/", PersonDetailView.as_view(), name="person"),
    path("audit/events/", AuditEventListView.as_view(), name="audit-events"),
]

urlpatterns = [
    path("", include(([path("", web_views.dashboard, name="dashboard")], "web"))),
    path("people/", include("tipims.people.urls")),
    path("audit/", include("tipims.audit.urls")),
    path("linkage/", include("tipims.linkage.urls")),
    path("statistics/", include("tipims.statistics.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include((api_patterns, "api"))),
]
