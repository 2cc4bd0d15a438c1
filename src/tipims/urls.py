from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tipims.accounts.admin import site as admin_site
from tipims.accounts.api import InstitutionListView, MeView
from tipims.audit.api import AuditEventListView
from tipims.border import urls as border_urls
from tipims.exchange import urls as exchange_urls
from tipims.justice import api as justice_api
from tipims.justice import urls as justice_urls
from tipims.monitoring import urls as monitoring_urls
from tipims.people.api import PersonDetailView, PersonListView
from tipims.prevention import urls as prevention_urls
from tipims.protection import api as protection_api
from tipims.protection import api_writes as protection_writes
from tipims.protection import urls as protection_urls
from tipims.reporting import urls as reporting_urls
from tipims.web import views as web_views

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("me/", MeView.as_view(), name="me"),
    path("institutions/", InstitutionListView.as_view(), name="institutions"),
    path("people/", PersonListView.as_view(), name="people"),
    path("people/<slug:reference>/", PersonDetailView.as_view(), name="person"),
    path("audit/events/", AuditEventListView.as_view(), name="audit-events"),
    path("protection/victims/", protection_writes.VictimsView.as_view(), name="protection-victims"),
    path(
        "protection/victims/<slug:reference>/",
        protection_writes.VictimView.as_view(),
        name="protection-victim",
    ),
    path("protection/cases/", protection_api.CaseListView.as_view(), name="protection-cases"),
    path(
        "protection/cases/<slug:reference>/", protection_api.CaseDetailView.as_view(), name="protection-case"
    ),
    path("protection/referrals/", protection_api.ReferralListView.as_view(), name="protection-referrals"),
    path("protection/flags/", protection_api.FlagView.as_view(), name="protection-flags"),
    path("protection/shelters/", protection_writes.SheltersView.as_view(), name="protection-shelters"),
    path("protection/statistics/", protection_api.StatisticsView.as_view(), name="protection-statistics"),
    *protection_urls.api_patterns,
    path("justice/complaints/", justice_api.ComplaintListView.as_view(), name="justice-complaints"),
    path(
        "justice/complaints/<slug:reference>/",
        justice_api.ComplaintDetailView.as_view(),
        name="justice-complaint",
    ),
    path("justice/cases/", justice_api.CaseListView.as_view(), name="justice-cases"),
    path("justice/cases/<slug:reference>/", justice_api.CaseDetailView.as_view(), name="justice-case"),
    path("justice/integrity/", justice_api.IntegrityListView.as_view(), name="justice-integrity"),
    path("justice/statistics/", justice_api.JusticeStatisticsView.as_view(), name="justice-statistics"),
    *justice_urls.api_patterns,
    *border_urls.api_patterns,
    *monitoring_urls.api_patterns,
    *prevention_urls.api_patterns,
    *reporting_urls.api_patterns,
    *exchange_urls.api_patterns,
]

urlpatterns = [
    path("", include(([path("", web_views.dashboard, name="dashboard")], "web"))),
    path("people/", include("tipims.people.urls")),
    path("audit/", include("tipims.audit.urls")),
    path("linkage/", include("tipims.linkage.urls")),
    path("statistics/", include("tipims.statistics.urls")),
    path("justice/", include("tipims.justice.urls")),
    path("denuncia/", include("tipims.justice.public_urls")),
    path("protection/", include("tipims.protection.urls")),
    path("border/", include("tipims.border.urls")),
    path("monitoring/", include("tipims.monitoring.urls")),
    path("prevention/", include("tipims.prevention.urls")),
    path("reports/", include("tipims.reporting.urls")),
    path("exchange/", include("tipims.exchange.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include((api_patterns, "api"))),
]
