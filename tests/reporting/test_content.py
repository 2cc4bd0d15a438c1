"""The report's content: every figure is the modules' own statistic, with its definition and source;
the period is checked; an empty period is refused; the comparison, UNODC, SDG and TVPA parts."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import translation

from tests.reporting.conftest import END, START
from tipims.core import stats_registry
from tipims.reporting import international, services
from tipims.reporting.content import (
    MODULES,
    ReportRefused,
    build_report,
    default_period,
    previous_period,
    tvpa_catalogue,
)
from tipims.reporting.models import PopulationFigure

pytestmark = pytest.mark.django_db
D = datetime.date


def test_every_module_figure_in_the_internal_report_is_what_the_module_statistics_return(year):
    report = build_report(START, END, public=False)
    # The modules whose registered statistics the report takes (linkage figures come from linkage's
    # selectors instead: unique persons).
    modules = [m for m in stats_registry.modules() if m in (*MODULES, "prevention")]
    module_figures = {m: stats_registry.compute(m, START, END) for m in modules}
    before = {m: stats_registry.compute(m, *previous_period(START, END)) for m in modules}
    checked = 0
    for key, figure in report.figures.items():
        module, name = key.split(".", 1)
        if module in module_figures:
            assert figure.value == module_figures[module][name], key
            assert figure.previous == before[module][name], key
            checked += 1
    assert checked >= 20
    assert report.figures["protection.victims_identified"].value == 19
    assert report.figures["protection.victims_identified"].previous == 5
    assert report.figures["justice.convictions"].value == 1


def test_every_figure_and_table_carries_a_definition_and_its_source(year):
    report = build_report(START, END, public=False)
    for figure in report.figures.values():
        module, name = figure.key.split(".", 1)
        assert figure.definition and figure.label
        assert figure.source == f"{module} · {name} · 2025-04-01 – 2026-03-31"
    for table in report.tables:
        assert table.definition and table.title
        assert "2025-04-01 – 2026-03-31" in table.source


def test_breakdowns_become_tables_for_this_period_and_the_one_before(year):
    report = build_report(START, END, public=False)
    by_nationality = next(t for t in report.tables if t.key == "protection-victims_identified_by_nationality")
    with translation.override("en"):
        rows = {row[0]: row[1:] for row in by_nationality.rows}
    assert sorted(v for v, _ in rows.values()) == [2, 3, 14]
    assert by_nationality.totals == [19, 5]


def test_the_sections_follow_the_questionnaire(year):
    report = build_report(START, END, public=False)
    assert [s.key for s in report.sections] == [
        "overview",
        "prevention",
        "prosecution",
        "protection",
        "international",
    ]
    assert all(section.draft for section in report.sections)


def test_unique_victims_come_from_linkage(year):
    report = build_report(START, END, public=False)
    assert report.figures["linkage.victim_records"].value == 19
    assert report.figures["linkage.unique_victims"].value == 19


def test_a_period_that_ends_before_it_starts_is_refused_naming_the_end(year):
    with pytest.raises(ReportRefused) as refused:
        build_report(D(2026, 3, 31), D(2025, 4, 1), public=True)
    assert refused.value.error_dict["end"][0].code == "before_start"


def test_a_period_with_no_data_at_all_is_refused(year):
    with pytest.raises(ReportRefused) as refused:
        build_report(D(1995, 4, 1), D(1996, 3, 31), public=True)
    assert refused.value.error_dict[NON_FIELD_ERRORS][0].code == "no_data"


def test_an_empty_database_has_nothing_to_report(db):
    with pytest.raises(ReportRefused):
        build_report(START, END, public=False)


def test_the_default_period_is_the_last_complete_april_to_march_year():
    assert default_period(D(2026, 11, 30)) == (D(2025, 4, 1), D(2026, 3, 31))
    assert default_period(D(2026, 3, 30)) == (D(2024, 4, 1), D(2025, 3, 31))
    assert previous_period(D(2024, 2, 29), D(2025, 2, 28)) == (D(2023, 2, 28), D(2024, 2, 28))


def test_unodc_tables_count_victims_by_age_and_sex_and_convicted_persons_like_the_modules(year):
    report = build_report(START, END, public=False)
    tables = {t.key: t for t in report.tables}
    by_age_sex = tables["unodc-victims_by_age_and_sex"]
    assert sum(sum(row[1:]) for row in by_age_sex.rows) == 19
    convicted = tables["unodc-convicted_by_sex_and_citizenship"]
    assert (
        sum(sum(row[1:]) for row in convicted.rows)
        == stats_registry.compute("justice", START, END)["convictions"]
    )
    counted = international.prosecuted_by_sex_and_citizenship(START, END)
    assert counted == {("Masculine", "GT"): 1}


def test_sdg_16_2_2_divides_victims_by_the_population_kept_as_data(year, coordinator):
    report = build_report(START, END, public=False)
    question = report.sections[-1].questions[-1]
    assert not question.tables and question.note  # no population for 2025 yet
    services.population_figure_set(actor=coordinator, year=2025, value=1_900_000, source="test figure")
    services.population_figure_set(
        actor=coordinator, year=2025, sex="Feminine", value=950_000, source="test figure"
    )
    report = build_report(START, END, public=False)
    sdg = next(t for t in report.tables if t.key == "sdg-16_2_2")
    total, *others = sdg.rows
    assert total[1:] == [19, 1_900_000, 1.0]
    feminine = next(row for row in others if row[2] == 950_000)
    assert feminine[1] == 17 and feminine[3] == round(100_000 * 17 / 950_000, 2)


def test_population_figures_refuse_bad_values_naming_the_field(coordinator):
    before = PopulationFigure.objects.count()
    for field, values in {
        "value": {"year": 2025, "value": 0, "source": "x"},
        "area": {"year": 2025, "value": 10, "source": "x", "area": "99"},
        "source": {"year": 2025, "value": 10, "source": " "},
        "year": {"year": 1200, "value": 10, "source": "x"},
    }.items():
        with pytest.raises(Exception) as refused:
            services.population_figure_set(actor=coordinator, **values)
        assert field in refused.value.message_dict
    assert PopulationFigure.objects.count() == before


def test_the_tvpa_section_lists_four_standards_and_twelve_criteria_with_evidence_and_gaps(year):
    report = build_report(START, END, public=False)
    assert [row.kind for row in report.tvpa].count("standard") == 4
    assert [row.kind for row in report.tvpa].count("criterion") == 12
    first_criterion = next(row for row in report.tvpa if row.key == "c1")
    assert any("justice · convictions" in item for item in first_criterion.evidence)
    extradition = next(row for row in report.tvpa if row.key == "c5")
    assert not extradition.evidence and extradition.missing
    catalogue = tvpa_catalogue()
    assert all(entry["es"] and entry["en"] for entry in catalogue["criteria"] + catalogue["standards"])


def test_prevention_data_reaches_the_report_through_its_contract(year, prevention_year):
    report = build_report(START, END, public=False)
    tables = {t.key: t for t in report.tables}
    assert [row[0] for row in tables["prevention-campaigns"].rows] == ["Riesgos de viajar con coyotes"]
    trainings = tables["prevention-trainings"].rows
    assert trainings[0][0] == "Atención a niñez víctima" and trainings[0][5:] == [50, 30, 20]
    assert [row[0] for row in tables["prevention-commitments"].rows] == [
        "Diseñar la política nacional contra la trata"
    ]
    assert (
        report.figures["prevention.campaigns"].value
        == stats_registry.compute("prevention", START, END)["campaigns"]
    )
    c3 = next(row for row in report.tvpa if row.key == "c3")
    assert c3.evidence


def test_the_demo_population_is_labelled_illustrative_and_the_report_says_so(year):
    from tipims.reporting.demo import load_population

    assert load_population() > 0 and load_population() == 0
    assert not PopulationFigure.objects.filter(illustrative=False).exists()
    report = build_report(START, END, public=False)
    sdg_question = report.sections[-1].questions[-1]
    assert sdg_question.tables and sdg_question.note  # the "illustrative" note
    assert "Illustrative" in sdg_question.tables[0].source


def test_a_victim_known_to_two_institutions_counts_once_and_gives_the_estimate_an_overlap(
    year, owner, analyst
):
    from tipims.justice import services as justice
    from tipims.linkage import services as linkage
    from tipims.people import services as people

    named = [
        people.person_record_create(
            actor=owner,
            values={"given_names": "Ana", "surname1": "Pop", "sex": "Feminine", "citizenships": ["HN"]},
        )
        for _ in range(3)
    ]
    justice.criminal_case_open(
        actor=owner, number="77-25", offence_date=D(2025, 6, 1), opened_on=D(2025, 7, 1), victims=named
    )
    for record, victim in zip(named, year["victims"][:2], strict=False):
        linkage.judgement_record(actor=analyst, record_a=record, record_b=victim.person, decision="same")
    report = build_report(START, END, public=False)
    assert report.figures["linkage.victim_records"].value == 19 + 3
    assert report.figures["linkage.unique_victims"].value == 19 + 3 - 2
    assert report.figures["estimate.observed"].value == 20
    assert report.figures["estimate.total"].value >= 20
