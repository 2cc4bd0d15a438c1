"""The API against its own OpenAPI schema: schemathesis generates requests for every operation and
the WSGI application answers them in-process; none may answer with a server error."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from tipims.accounts.roles import Role
from tipims.wsgi import application

SCHEMA_PATH = "/api/schema/"
MAX_EXAMPLES = 25
ERROR_STATUSES = {"400", "401", "403", "404"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's own test client does.

    A WSGI request sends request_started/request_finished, whose close_old_connections would close
    the connection that holds the test's open transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(in_process_requests):
    cache.clear()  # the schema is fetched anonymously: a fresh anonymous throttle
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)


def _token_headers(user) -> dict[str, str]:
    token = Token.objects.create(user=user)
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture
def token_headers(owner) -> dict[str, str]:
    """A prosecutor's API token: the owner of the `person` record."""
    return _token_headers(owner)


@pytest.fixture
def auditor_headers(user_with_role) -> dict[str, str]:
    """The audit events answer 404 to everyone but auditors: an auditor's token reaches their filters."""
    return _token_headers(user_with_role(Role.AUDITOR))


def _strategy(operation, reference: str):
    """Valid and invalid requests; where the path names a record, also ones naming the owner's record."""
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if "{reference}" in operation.path:
        own = {"reference": reference}
        strategies += [operation.as_strategy(generation_mode=mode, path_parameters=own) for mode in modes]
    return st.one_of(strategies)


def _exercise(operation, headers: dict[str, str], reference: str) -> Counter:
    """Run generated requests against one operation; return how often each status answered."""
    seen: Counter = Counter()

    @given(case=_strategy(operation, reference))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
        derandomize=True,
    )
    def run(case):
        # DRF throttles per user in the cache (600/minute): start every example afresh, so a 429
        # never stands in for the answer the request would really get.
        cache.clear()
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
        seen[response.status_code] += 1

    run()
    return seen


def test_no_operation_answers_with_a_server_error(api_schema, token_headers, auditor_headers, person):
    operations = [result.ok() for result in api_schema.get_all_operations() if isinstance(result, Ok)]
    assert {op.label for op in operations} >= {
        "GET /api/me/",
        "GET /api/institutions/",
        "GET /api/people/",
        "POST /api/people/",
        "GET /api/people/{reference}/",
        "PATCH /api/people/{reference}/",
        "GET /api/audit/events/",
    }
    statuses: dict[str, Counter] = {}
    for operation in operations:
        statuses[f"prosecutor {operation.label}"] = _exercise(operation, token_headers, person.reference)
        if operation.path.startswith("/api/audit/"):
            statuses[f"auditor {operation.label}"] = _exercise(operation, auditor_headers, person.reference)

    summary = {label: dict(counter) for label, counter in statuses.items()}
    for label, counter in statuses.items():
        assert 429 not in counter, f"{label} was throttled: {summary}"
        assert sum(counter.values()) > 0, f"{label} was never called: {summary}"
    # The tokens really work: each route answers with success at least once ...
    for label in (
        "prosecutor GET /api/me/",
        "prosecutor GET /api/institutions/",
        "prosecutor GET /api/people/",
        "prosecutor GET /api/people/{reference}/",
        "auditor GET /api/audit/events/",
    ):
        assert _counter_of(statuses, label)[200] > 0, f"{label} never answered 200: {summary}"
    assert statuses["prosecutor POST /api/people/"][201] > 0, f"POST /api/people/ never created: {summary}"
    # ... a change reaches the owner's record (random bodies are often refused: 400 is fine) ...
    patched = _counter_of(statuses, "prosecutor PATCH /api/people/{reference}/")
    assert set(patched) - {404}, f"PATCH never reached the owner's record: {summary}"
    # ... and the audit trail stays closed to the prosecutor.
    assert statuses["prosecutor GET /api/audit/events/"].keys() == {404}, summary


def _counter_of(statuses: dict[str, Counter], label: str) -> Counter:
    assert label in statuses, f"no operation {label!r} in the schema"
    return statuses[label]


def test_every_operation_documents_its_error_answers(client):
    cache.clear()
    response = client.get(SCHEMA_PATH, {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)

    operations = [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]
    assert len(operations) >= 7
    missing = {
        f"{method} {path}": sorted(ERROR_STATUSES - set(operation["responses"]))
        for method, path, operation in operations
    }
    assert {label: codes for label, codes in missing.items() if codes} == {}
