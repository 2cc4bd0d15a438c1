"""Every route, every role, the expected answer (DESIGN habit 4).

A new route that is not listed here fails ``test_every_route_is_in_the_matrix``: add it with the answer
each role must get. Records that are not yours answer 404, exactly like records that do not exist.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from tipims.accounts.roles import Role

ANON = "anonymous"
SUBJECTS = [ANON, *[role.value for role in Role]]
PEOPLE_WRITERS = {"prosecutor", "investigator", "caseworker", "border_officer", "integrity_officer"}
PEOPLE_READERS = {*PEOPLE_WRITERS, "analyst"}

COMPLAINT_READERS = {"prosecutor", "investigator", "analyst"}
JUSTICE_FIGURES = {"prosecutor", "analyst", "coordinator", "integrity_officer"}
PROTECTION_READERS = {"caseworker", "analyst"}
FLAGGERS = {"border_officer", "investigator"}


def answers(default: int, anonymous: int, **by_role: int) -> dict[str, int]:
    table = {subject: default for subject in SUBJECTS}
    table[ANON] = anonymous
    table.update(by_role)
    return table


def only(roles: set[str], allowed: int = 200, others: int = 404, anonymous: int = 302) -> dict[str, int]:
    return answers(others, anonymous, **{role: allowed for role in roles})


CROSSING_READERS = {"border_officer", "investigator", "prosecutor", "analyst"}
BORDER_FIGURES = CROSSING_READERS | {"coordinator"}
WATCHLIST_KEEPERS = {"investigator", "prosecutor"}
ALERT_READERS = {"investigator", "prosecutor", "analyst"}
ESTABLISHMENT_READERS = {"monitor", "investigator", "prosecutor", "analyst"}
VISIT_READERS = ESTABLISHMENT_READERS | {"coordinator"}
PREVENTION_STAFF = {
    "prosecutor",
    "investigator",
    "border_officer",
    "caseworker",
    "monitor",
    "integrity_officer",
}
PREVENTION_WRITERS = PREVENTION_STAFF | {"coordinator"}
POST_ONLY = answers(405, 302)
IDENTITY_EXPORTERS = {"prosecutor", "investigator", "integrity_officer", "caseworker"}
EXCHANGE_IMPORTERS = IDENTITY_EXPORTERS | {"monitor", "admin", "border_officer"}
EXCHANGE_USERS = EXCHANGE_IMPORTERS | {
    "analyst",
    "coordinator",
}  # actions: signed-in users get 405 to a GET; the POST checks the record

# route name -> (URL to request, {subject: status}). The person record is the prosecutor's institution's.
MATRIX = {
    "web:dashboard": ("/", answers(200, 302)),
    "people:list": ("/people/", only(PEOPLE_READERS)),
    "people:create": ("/people/new/", only(PEOPLE_WRITERS)),
    "people:detail": ("/people/{ref}/", only({"prosecutor", "analyst"})),
    "people:edit": ("/people/{ref}/edit/", only({"prosecutor"})),
    "audit:list": ("/audit/", only({"auditor"})),
    "linkage:queue": ("/linkage/review/", only({"analyst"})),
    "statistics:estimate": ("/statistics/estimate/", only({"analyst", "coordinator"})),
    "linkage:pair": ("/linkage/review/999999/", only(set())),  # tests/linkage checks a real pair
    "set_language": ("/i18n/setlang/", answers(302, 302)),
    "api:schema": ("/api/schema/", answers(200, 200)),  # the schema is public, like the source code
    "api:me": ("/api/me/", answers(200, 401)),
    "api:institutions": ("/api/institutions/", answers(200, 401)),
    "api:people": ("/api/people/", only(PEOPLE_READERS, anonymous=401)),
    "api:person": ("/api/people/{ref}/", only({"prosecutor", "analyst"}, anonymous=401)),
    "api:audit-events": ("/api/audit/events/", only({"auditor"}, anonymous=401)),
    # Justice. Detail routes name records nobody has: 404 for every role (tests/justice/test_pages.py
    # checks the same routes with real records, role by role).
    "justice_public:complaint": ("/denuncia/", answers(200, 200)),  # the public form: no sign-in
    "justice:dashboard": ("/justice/", only(JUSTICE_FIGURES)),
    "justice:complaints": ("/justice/complaints/", only(COMPLAINT_READERS)),
    "justice:complaint-create": ("/justice/complaints/new/", only({"prosecutor", "investigator"})),
    "justice:complaint": ("/justice/complaints/D-ZZZZZZZZ/", only(set())),
    "justice:cases": ("/justice/cases/", only({"prosecutor", "analyst"})),
    "justice:case-create": ("/justice/cases/new/", only({"prosecutor"})),
    "justice:case": ("/justice/cases/K-ZZZZZZZZ/", only(set())),
    "justice:case-brief": ("/justice/cases/K-ZZZZZZZZ/brief/", only(set())),
    "justice:case-brief-pdf": ("/justice/cases/K-ZZZZZZZZ/brief.pdf", only(set())),
    "justice:case-record": ("/justice/cases/K-ZZZZZZZZ/record/phase/", only(set())),
    "justice:integrity": ("/justice/integrity/", only({"integrity_officer"})),
    "justice:integrity-create": ("/justice/integrity/new/", only({"integrity_officer"})),
    "justice:integrity-case": ("/justice/integrity/I-ZZZZZZZZ/", only(set())),
    "api:justice-complaints": ("/api/justice/complaints/", only(COMPLAINT_READERS, anonymous=401)),
    "api:justice-complaint": ("/api/justice/complaints/D-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:justice-cases": ("/api/justice/cases/", only({"prosecutor", "analyst"}, anonymous=401)),
    "api:justice-case": ("/api/justice/cases/K-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:justice-integrity": ("/api/justice/integrity/", only({"integrity_officer"}, anonymous=401)),
    "api:justice-statistics": ("/api/justice/statistics/", only(JUSTICE_FIGURES, anonymous=401)),
    # Justice writes answer 405 to a GET (POST only; tests/justice/test_api_writes.py checks each role).
    "api:justice-complaint-triage": ("/api/justice/complaints/D-ZZZZZZZZ/triage/", answers(405, 401)),
    "api:justice-case-phase": ("/api/justice/cases/K-ZZZZZZZZ/phases/", answers(405, 401)),
    "api:justice-case-disposition": ("/api/justice/cases/K-ZZZZZZZZ/disposition/", answers(405, 401)),
    "api:justice-case-defendants": ("/api/justice/cases/K-ZZZZZZZZ/defendants/", answers(405, 401)),
    "api:justice-case-measures": ("/api/justice/cases/K-ZZZZZZZZ/measures/", answers(405, 401)),
    "api:justice-case-charges": ("/api/justice/cases/K-ZZZZZZZZ/charges/", answers(405, 401)),
    "api:justice-case-judgments": ("/api/justice/cases/K-ZZZZZZZZ/judgments/", answers(405, 401)),
    "api:justice-case-appeals": ("/api/justice/cases/K-ZZZZZZZZ/appeals/", answers(405, 401)),
    "api:justice-provisions": ("/api/justice/provisions/", answers(200, 401)),  # the law: reference data
    "api:justice-integrity-case": ("/api/justice/integrity/I-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:justice-integrity-outcome": ("/api/justice/integrity/I-ZZZZZZZZ/outcome/", answers(405, 401)),
    "justice_public:status": ("/denuncia/estado/", answers(200, 200)),  # receipt code: coarse status only
    # Protection. Detail routes name records nobody has: 404 for every role (tests/protection checks
    # them with real records: the owner, a receiving institution, the flagger, the analyst).
    "protection:victims": ("/protection/", only(PROTECTION_READERS)),
    "protection:victim_create": ("/protection/victims/new/", only({"caseworker"})),
    "protection:victim": ("/protection/victims/V-ZZZZZZZZ/", only(set())),
    "protection:victim_status": ("/protection/victims/V-ZZZZZZZZ/status/", POST_ONLY),
    "protection:case_open": ("/protection/victims/V-ZZZZZZZZ/cases/", POST_ONLY),
    "protection:placement_create": ("/protection/victims/V-ZZZZZZZZ/placements/", POST_ONLY),
    "protection:consent_add": ("/protection/victims/V-ZZZZZZZZ/consents/", POST_ONLY),
    "protection:referral_create": ("/protection/victims/V-ZZZZZZZZ/referrals/", POST_ONLY),
    "protection:return_open": ("/protection/victims/V-ZZZZZZZZ/returns/", POST_ONLY),
    "protection:witness_measure_add": ("/protection/victims/V-ZZZZZZZZ/witness-measures/", POST_ONLY),
    "protection:witness_measure_decide": ("/protection/witness-measures/999999/decide/", POST_ONLY),
    "protection:plan_end": ("/protection/cases/C-ZZZZZZZZ/plans/999999/end/", POST_ONLY),
    "protection:assessment_add": ("/protection/cases/C-ZZZZZZZZ/assessments/", POST_ONLY),
    "protection:flag": ("/protection/flag/", only(FLAGGERS)),
    "protection:receipt": ("/protection/receipts/R-ZZZZZZZZ/", only(set())),
    "protection:cases": ("/protection/cases/", only(PROTECTION_READERS)),
    "protection:case": ("/protection/cases/C-ZZZZZZZZ/", only(set())),
    "protection:case_status": ("/protection/cases/C-ZZZZZZZZ/status/", POST_ONLY),
    "protection:plan_add": ("/protection/cases/C-ZZZZZZZZ/plans/", POST_ONLY),
    "protection:service_add": ("/protection/cases/C-ZZZZZZZZ/services/", POST_ONLY),
    "protection:note_add": ("/protection/cases/C-ZZZZZZZZ/notes/", POST_ONLY),
    "protection:shelters": ("/protection/shelters/", only(PROTECTION_READERS)),
    "protection:placement_end": ("/protection/placements/999999/end/", POST_ONLY),
    "protection:consent_withdraw": ("/protection/consents/999999/withdraw/", POST_ONLY),
    "protection:referrals": ("/protection/referrals/", only(PROTECTION_READERS | FLAGGERS)),
    "protection:referral_decide": ("/protection/referrals/R-ZZZZZZZZ/decide/", POST_ONLY),
    "protection:return": ("/protection/returns/S-ZZZZZZZZ/", only(set())),
    "protection:return_step": ("/protection/returns/S-ZZZZZZZZ/steps/handover/", POST_ONLY),
    "protection:suspect_add": ("/protection/suspects/", POST_ONLY),
    "protection:dashboard": ("/protection/dashboard/", only({"caseworker", "analyst", "coordinator"})),
    "api:protection-victims": ("/api/protection/victims/", only(PROTECTION_READERS, anonymous=401)),
    "api:protection-victim": ("/api/protection/victims/V-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:protection-cases": ("/api/protection/cases/", only(PROTECTION_READERS, anonymous=401)),
    "api:protection-case": ("/api/protection/cases/C-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:protection-referrals": (
        "/api/protection/referrals/",
        only(PROTECTION_READERS | FLAGGERS, anonymous=401),
    ),
    "api:protection-flags": ("/api/protection/flags/", answers(405, 401)),  # POST only
    "api:protection-shelters": ("/api/protection/shelters/", only(PROTECTION_READERS, anonymous=401)),
    "api:protection-statistics": (
        "/api/protection/statistics/",
        only({"caseworker", "analyst", "coordinator"}, anonymous=401),
    ),
    # Protection API writes: POST only (a GET answers 405 to anyone signed in; tests/protection/
    # test_api_writes.py checks each with real records: the owner, another institution, the analyst).
    "api:protection-case-open": ("/api/protection/victims/V-ZZZZZZZZ/cases/", answers(405, 401)),
    "api:protection-placement-create": ("/api/protection/victims/V-ZZZZZZZZ/placements/", answers(405, 401)),
    "api:protection-consent-record": ("/api/protection/victims/V-ZZZZZZZZ/consents/", answers(405, 401)),
    "api:protection-referral-create": ("/api/protection/victims/V-ZZZZZZZZ/referrals/", answers(405, 401)),
    "api:protection-witness-measure-request": (
        "/api/protection/victims/V-ZZZZZZZZ/witness-measures/",
        answers(405, 401),
    ),
    "api:protection-return-open": ("/api/protection/victims/V-ZZZZZZZZ/returns/", answers(405, 401)),
    "api:protection-case-status": ("/api/protection/cases/C-ZZZZZZZZ/status/", answers(405, 401)),
    "api:protection-plan-add": ("/api/protection/cases/C-ZZZZZZZZ/plans/", answers(405, 401)),
    "api:protection-plan-end": ("/api/protection/cases/C-ZZZZZZZZ/plans/999999/end/", answers(405, 401)),
    "api:protection-assessment-record": ("/api/protection/cases/C-ZZZZZZZZ/assessments/", answers(405, 401)),
    "api:protection-service-deliver": ("/api/protection/cases/C-ZZZZZZZZ/services/", answers(405, 401)),
    "api:protection-note-add": ("/api/protection/cases/C-ZZZZZZZZ/notes/", answers(405, 401)),
    "api:protection-placement-end": ("/api/protection/placements/999999/end/", answers(405, 401)),
    "api:protection-consent-withdraw": ("/api/protection/consents/999999/withdraw/", answers(405, 401)),
    "api:protection-referral-decide": ("/api/protection/referrals/R-ZZZZZZZZ/decide/", answers(405, 401)),
    "api:protection-witness-measure-decide": (
        "/api/protection/witness-measures/999999/decide/",
        answers(405, 401),
    ),
    "api:protection-return-step": ("/api/protection/returns/S-ZZZZZZZZ/steps/handover/", answers(405, 401)),
    # border: the watchlist answers 404 to everyone but investigators and prosecutors
    "border:dashboard": ("/border/", only(BORDER_FIGURES)),
    "border:crossings": ("/border/crossings/", only(CROSSING_READERS)),
    "border:crossing-create": ("/border/crossings/new/", only({"border_officer"})),
    "border:crossing-detail": ("/border/crossings/X-ZZZZZZZZ/", only(set())),
    "border:receptions": ("/border/receptions/", only(CROSSING_READERS | {"coordinator"})),
    "border:reception-create": ("/border/receptions/new/", only({"border_officer"})),
    "border:watchlist": ("/border/watchlist/", only(WATCHLIST_KEEPERS)),
    "border:watchlist-create": ("/border/watchlist/new/", only(WATCHLIST_KEEPERS)),
    "border:watchlist-detail": ("/border/watchlist/W-ZZZZZZZZ/", only(set())),
    "border:alerts": ("/border/alerts/", only(ALERT_READERS)),
    "border:alert-detail": ("/border/alerts/A-ZZZZZZZZ/", only(set())),
    "api:border-points": ("/api/border/points/", answers(200, 401)),
    "api:border-crossings": ("/api/border/crossings/", only(CROSSING_READERS, anonymous=401)),
    "api:border-crossing": ("/api/border/crossings/X-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:border-receptions": (
        "/api/border/receptions/",
        only(CROSSING_READERS | {"coordinator"}, anonymous=401),
    ),
    "api:border-watchlist": ("/api/border/watchlist/", only(WATCHLIST_KEEPERS, anonymous=401)),
    "api:border-watchlist-entry": ("/api/border/watchlist/W-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:border-watchlist-approve": ("/api/border/watchlist/W-ZZZZZZZZ/approve/", answers(405, 401)),
    "api:border-alerts": ("/api/border/alerts/", only(ALERT_READERS, anonymous=401)),
    "api:border-alert": ("/api/border/alerts/A-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:border-alert-decide": ("/api/border/alerts/A-ZZZZZZZZ/decide/", answers(405, 401)),
    # monitoring
    "monitoring:dashboard": ("/monitoring/", only(VISIT_READERS)),
    "monitoring:establishments": ("/monitoring/establishments/", only(ESTABLISHMENT_READERS)),
    "monitoring:establishment-create": ("/monitoring/establishments/new/", only({"monitor", "investigator"})),
    "monitoring:visits": ("/monitoring/visits/", only(VISIT_READERS)),
    "monitoring:visit-create": ("/monitoring/visits/new/", only({"monitor", "investigator"})),
    "monitoring:operations": ("/monitoring/operations/", only(VISIT_READERS)),
    "monitoring:operation-create": ("/monitoring/operations/new/", only({"investigator", "prosecutor"})),
    # Detail routes name records nobody has: 404 for every role (tests/monitoring checks real ones).
    "monitoring:establishment": ("/monitoring/establishments/999999/", only(set())),
    "monitoring:visit": ("/monitoring/visits/999999/", only(set())),
    "monitoring:operation": ("/monitoring/operations/999999/", only(set())),
    "monitoring:surveys": ("/monitoring/surveys/", only(VISIT_READERS)),
    "monitoring:survey-create": ("/monitoring/surveys/new/", only({"monitor", "investigator"})),
    "monitoring:survey": ("/monitoring/surveys/999999/", only(set())),
    "api:monitoring-establishments": (
        "/api/monitoring/establishments/",
        only(ESTABLISHMENT_READERS, anonymous=401),
    ),
    "api:monitoring-visits": ("/api/monitoring/visits/", only(VISIT_READERS, anonymous=401)),
    "api:monitoring-operations": ("/api/monitoring/operations/", only(VISIT_READERS, anonymous=401)),
    "api:monitoring-surveys": ("/api/monitoring/surveys/", only(VISIT_READERS, anonymous=401)),
    # prevention: institutions' staff keep their own campaigns and trainings, the coordinator everything
    # and the action plan; the analyst sees figures only (tests/prevention checks real records).
    "prevention:dashboard": ("/prevention/", only(PREVENTION_STAFF | {"coordinator", "analyst"})),
    "prevention:campaigns": ("/prevention/campaigns/", only(PREVENTION_WRITERS)),
    "prevention:campaign-create": ("/prevention/campaigns/new/", only(PREVENTION_WRITERS)),
    "prevention:campaign": ("/prevention/campaigns/G-ZZZZZZZZ/", only(set())),
    "prevention:campaign-edit": ("/prevention/campaigns/G-ZZZZZZZZ/edit/", only(set())),
    "prevention:trainings": ("/prevention/trainings/", only(PREVENTION_WRITERS)),
    "prevention:training-create": ("/prevention/trainings/new/", only(PREVENTION_WRITERS)),
    "prevention:training": ("/prevention/trainings/T-ZZZZZZZZ/", only(set())),
    "prevention:training-edit": ("/prevention/trainings/T-ZZZZZZZZ/edit/", only(set())),
    "prevention:commitments": ("/prevention/plan/", only(PREVENTION_WRITERS)),  # staff: their institution's
    "prevention:commitment-create": ("/prevention/plan/new/", only({"coordinator"})),
    "prevention:commitment": ("/prevention/plan/M-ZZZZZZZZ/", only(set())),
    "prevention:commitment-edit": ("/prevention/plan/M-ZZZZZZZZ/edit/", only(set())),
    "prevention:commitment-progress": ("/prevention/plan/M-ZZZZZZZZ/progress/", only(set())),
    "prevention:commitment-evidence": ("/prevention/plan/M-ZZZZZZZZ/evidence/", only(set())),
    "prevention:meetings": ("/prevention/meetings/", only({"coordinator"})),
    "prevention:meeting-create": ("/prevention/meetings/new/", only({"coordinator"})),
    "prevention:meeting": ("/prevention/meetings/N-ZZZZZZZZ/", only(set())),
    "prevention:decision-commitment": (
        "/prevention/meetings/N-ZZZZZZZZ/decisions/1/commitment/",
        only(set()),
    ),
    "api:prevention-campaigns": ("/api/prevention/campaigns/", only(PREVENTION_WRITERS, anonymous=401)),
    "api:prevention-campaign": ("/api/prevention/campaigns/G-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:prevention-trainings": ("/api/prevention/trainings/", only(PREVENTION_WRITERS, anonymous=401)),
    "api:prevention-training": ("/api/prevention/trainings/T-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:prevention-commitments": ("/api/prevention/commitments/", only(PREVENTION_WRITERS, anonymous=401)),
    "api:prevention-commitment": ("/api/prevention/commitments/M-ZZZZZZZZ/", only(set(), anonymous=401)),
    "api:prevention-commitment-progress": (
        "/api/prevention/commitments/M-ZZZZZZZZ/progress/",
        answers(405, 401),
    ),
    "api:prevention-meetings": ("/api/prevention/meetings/", only({"coordinator"}, anonymous=401)),
    "api:prevention-meeting": ("/api/prevention/meetings/N-ZZZZZZZZ/", only(set(), anonymous=401)),
    # reporting: the public report for the coordinator and analysts, the internal one and narratives
    # for the coordinator alone; builds are their requester's (tests/reporting checks real builds)
    "reporting:index": ("/reports/", only({"coordinator", "analyst"})),
    "reporting:build": ("/reports/builds/999999/", only(set())),
    "reporting:build-status": ("/reports/builds/999999/status.json", only(set())),
    "reporting:build-file": ("/reports/builds/999999/file", only(set())),
    "reporting:build-again": ("/reports/builds/999999/again/", POST_ONLY),
    "reporting:build-table": ("/reports/builds/999999/tables/justice-by_offence.csv", only(set())),
    "reporting:narratives": ("/reports/narratives/2025-04-01/2026-03-31/", only({"coordinator"})),
    "reporting:narrative-edit": (
        "/reports/narratives/2025-04-01/2026-03-31/overview/",
        only({"coordinator"}),
    ),
    "reporting:population": ("/reports/population/", only({"coordinator", "admin"})),
    "api:report-builds": ("/api/reports/builds/", only({"coordinator", "analyst"}, anonymous=401)),
    "api:report-population": (
        "/api/reports/population/",
        only({"coordinator", "analyst", "admin"}, anonymous=401),
    ),
    # Exchange: identities leave only with roles that may export their own (HTCDS, PPRL; the download is
    # a POST after re-authentication); public files (CTDC) only with the statistics roles.
    "exchange:index": ("/exchange/", only(EXCHANGE_USERS)),
    "exchange:import": ("/exchange/import/", only(EXCHANGE_IMPORTERS)),
    "exchange:import-confirm": ("/exchange/import/confirm/", POST_ONLY),
    "exchange:export-htcds": ("/exchange/export/htcds/", only(IDENTITY_EXPORTERS)),
    "exchange:export-pprl": ("/exchange/export/pprl/", POST_ONLY),
    "exchange:export-ftm": ("/exchange/export/ftm/", POST_ONLY),
    "exchange:export-ctdc": ("/exchange/export/ctdc.csv", only({"analyst", "coordinator"})),
    "exchange:visit-form": ("/exchange/forms/monitoring-visit.xlsx", only({"monitor", "investigator"})),
    "exchange:screening-form": ("/exchange/forms/screening.xlsx", only({"border_officer", "investigator"})),
    "exchange:partner-matches": (
        "/exchange/partners/{ref}/",
        only({"prosecutor"}),
    ),  # identity of own records
    "api:exchange-imports": ("/api/exchange/imports/", answers(405, 401)),  # POST only
    "api:exchange-ctdc": ("/api/exchange/ctdc.csv", only({"analyst", "coordinator"}, anonymous=401)),
}

# Third-party route families, checked through one representative URL each.
FAMILIES = {
    "accounts/": ("/accounts/login/", answers(302, 200)),  # allauth: signed-in users are sent on
    "admin/": ("/admin/", answers(302, 302, admin=200)),  # only administrators; sign-in via allauth
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None


def test_every_route_is_in_the_matrix():
    missing = []
    for route, name in _walk(get_resolver().url_patterns):
        if name in MATRIX or any(route.startswith(family) for family in FAMILIES):
            continue
        missing.append(f"{route} ({name})")
    assert not missing, f"routes missing from the permission matrix: {missing}"


@pytest.fixture
def subjects(owner, user_with_role, person):
    users = {"prosecutor": owner}
    for role in Role:
        if role.value not in users:
            users[role.value] = user_with_role(role)
    return users


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX) + sorted(FAMILIES))
def test_each_role_gets_the_expected_answer(name, subjects, person):
    url_template, expected = MATRIX.get(name) or FAMILIES[name]
    url = url_template.format(ref=person.reference)
    failures = []
    for subject in SUBJECTS:
        client = Client()
        if subject != ANON:
            user = subjects[subject]
            if url.startswith("/api/"):
                token, _ = Token.objects.get_or_create(user=user)
                client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
            else:
                client.force_login(user)
        status = client.get(url).status_code
        if status != expected[subject]:
            failures.append(f"{subject}: got {status}, expected {expected[subject]}")
    assert not failures, f"{url}: " + "; ".join(failures)


@pytest.mark.django_db
def test_a_record_that_does_not_exist_answers_like_one_that_is_not_yours(subjects, person):
    outsider = Client()
    outsider.force_login(subjects["investigator"])
    assert outsider.get(f"/people/{person.reference}/").status_code == 404
    assert outsider.get("/people/P-ZZZZZZZZ/").status_code == 404

    def page(url):  # the same page but for the per-response CSRF token and the path it names
        content = outsider.get(url).content.replace(url.encode(), b"URL")
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)

    assert page(f"/people/{person.reference}/") == page("/people/P-ZZZZZZZZ/")
