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
PEOPLE_READERS = {"prosecutor", "investigator", "caseworker", "border_officer", "analyst"}
PEOPLE_WRITERS = {"prosecutor", "investigator", "caseworker", "border_officer"}


def answers(default: int, anonymous: int, **by_role: int) -> dict[str, int]:
    table = {subject: default for subject in SUBJECTS}
    table[ANON] = anonymous
    table.update(by_role)
    return table


def only(roles: set[str], allowed: int = 200, others: int = 404, anonymous: int = 302) -> dict[str, int]:
    return answers(others, anonymous, **{role: allowed for role in roles})


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
