"""Long lists page without counting every row: one row more than a page tells whether a next page
exists, and the note counts at most CAP + 1 rows."""

import datetime

import pytest

from tests.conftest import client_for
from tipims.justice import paging
from tipims.justice.models import CriminalCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_cases(owner):
    day = datetime.date(2010, 1, 1)
    CriminalCase.objects.bulk_create(
        CriminalCase(
            institution=owner.institution,
            number=f"{n}-10",
            offence_date=day,
            opened_on=day + datetime.timedelta(days=n),
            phase_since=day,
        )
        for n in range(paging.CAP + 10)
    )
    return CriminalCase.objects.order_by("-opened_on", "-id")


def test_a_long_list_pages_forward_and_says_only_that_it_is_long(many_cases):
    first = paging.window(many_cases, "1")
    assert len(first.object_list) == paging.PER_PAGE and first.has_next and not first.has_previous
    assert first.count_capped and first.count == paging.CAP
    last_number = (paging.CAP + 10 + paging.PER_PAGE - 1) // paging.PER_PAGE
    last = paging.window(many_cases, last_number)
    assert not last.has_next and last.has_previous
    assert len(last.object_list) == (paging.CAP + 10) - (last_number - 1) * paging.PER_PAGE
    assert paging.window(many_cases, 10_000).number == 1  # an old link past the end
    assert paging.window(many_cases, "x").number == 1


def test_a_short_list_is_counted_exactly(many_cases):
    short = paging.window(many_cases.filter(opened_on__lt=datetime.date(2010, 1, 8)), 1)
    assert (short.count, short.count_capped, short.has_next) == (7, False, False)


def test_the_case_list_shows_the_capped_note_and_a_next_page(owner, many_cases):
    page = client_for(owner).get("/justice/cases/?page=2")
    assert page.status_code == 200 and page.context["page"].count_capped
    html = page.content.decode()
    assert 'data-testid="case-count"' in html and html.count('data-testid="case-row"') == paging.PER_PAGE
    assert "page=3" in html and "page=1" in html
