"""The international tables: UNODC's Global Report on Trafficking in Persons (victims by age group,
sex, form of exploitation and citizenship; persons prosecuted and convicted by sex and citizenship)
and SDG indicator 16.2.2 (victims per 100,000 population).

The one-way breakdowns are the protection module's registered figures. The two-way tables UNODC asks
for (age group by sex, sex by citizenship) are not among any module's figures, so they are counted
here, read-only and in aggregate, with the same definitions as the modules use.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from tipims.reporting.models import NATIONAL, PopulationFigure

UNKNOWN = "unknown"


def _cross_table(builder, key: str, counter: Counter, row_key, column_key, row_label, column_label):
    rows_codes = sorted({r for r, _c in counter}, key=str)
    column_codes = sorted({c for _r, c in counter}, key=str)
    if not rows_codes:
        return None

    columns = [column_label(c) for c in column_codes]
    rows = [(row_label(r), [counter.get((r, c), 0) for c in column_codes]) for r in rows_codes]
    return builder.table(key, columns, rows, chart=False, two_way=True)


def victims_by_age_and_sex(start: datetime.date, end: datetime.date) -> Counter:
    from tipims.protection.models import Victim

    rows = (
        Victim.objects.filter(identified_on__range=(start, end))
        .order_by()
        .values_list("age_group", "sex")
        .annotate(n=Count("id"))
    )
    return Counter({(age or UNKNOWN, sex or UNKNOWN): n for age, sex, n in rows})


def _first_citizenship(citizenships) -> str:
    return (citizenships or [UNKNOWN])[0]


def prosecuted_by_sex_and_citizenship(start: datetime.date, end: datetime.date) -> Counter:
    """Defendants with at least one charge filed in the period (each defendant once)."""
    from tipims.justice.models import Defendant

    rows = (
        Defendant.objects.filter(charges__filed_on__range=(start, end))
        .order_by()
        .values_list("pk", "person__sex", "person__citizenships")
        .distinct()
    )
    return Counter((sex or UNKNOWN, _first_citizenship(citizenships)) for _pk, sex, citizenships in rows)


def convicted_by_sex_and_citizenship(start: datetime.date, end: datetime.date) -> Counter:
    """Defendants convicted on at least one charge by a judgment dated in the period, as justice
    statistics count convictions."""
    from tipims.justice.models import Defendant

    rows = (
        Defendant.objects.filter(
            charges__judgment__date__range=(start, end), charges__judgment__verdict="conviction"
        )
        .order_by()
        .values_list("pk", "person__sex", "person__citizenships")
        .distinct()
    )
    return Counter((sex or UNKNOWN, _first_citizenship(citizenships)) for _pk, sex, citizenships in rows)


def population_year(start: datetime.date, end: datetime.date) -> int:
    """The year of the period's midpoint: April to March mostly falls in its first year."""
    return (start + (end - start) / 2).year


def population(year: int) -> dict[tuple[str, str], PopulationFigure]:
    """National population figures of a year by (sex, age group); ("", "") is the total."""
    return {(p.sex, p.age_group): p for p in PopulationFigure.objects.filter(year=year, area=NATIONAL)}


def sdg_rows(start: datetime.date, end: datetime.date, victims: dict, by_sex: dict, by_age: dict):
    """(label, victims, population figure or None) for the total, each sex and each age group."""
    from tipims.reporting.content import category_label

    figures = population(population_year(start, end))
    rows = [(_("Total"), victims, figures.get(("", "")))]
    for code, count in sorted(by_sex.items()):
        rows.append(
            (category_label("protection.victims_identified_by_sex", code), count, figures.get((code, "")))
        )
    for code, count in sorted(by_age.items()):
        rows.append(
            (
                category_label("protection.victims_identified_by_age_group", code),
                count,
                figures.get(("", code)),
            )
        )
    return rows


def rate(count: int | None, population_value: int | None) -> float | None:
    if count is None or not population_value:
        return None
    return round(100_000 * count / population_value, 2)


def section(builder):
    from tipims.reporting.content import Question, Section, category_label

    start, end = builder.start, builder.end
    protection = builder.current.get("protection") or {}
    sex_label = lambda code: category_label("protection.victims_identified_by_sex", code)  # noqa: E731
    age_label = lambda code: category_label("protection.victims_identified_by_age_group", code)  # noqa: E731
    country_label = lambda code: category_label("justice.defendants_by_nationality", code)  # noqa: E731

    victims_tables = [
        _cross_table(
            builder,
            "unodc.victims_by_age_and_sex",
            victims_by_age_and_sex(start, end),
            0,
            1,
            age_label,
            sex_label,
        )
    ]
    victims_tables += [
        builder.breakdown("protection.victims_identified_by_exploitation"),
        builder.breakdown("protection.victims_identified_by_nationality"),
    ]
    for table in victims_tables[1:]:
        if table is not None:  # the same figures as in the protection section, under a key of their own
            table.key = f"unodc-{table.key}"
    offenders_tables = [
        _cross_table(
            builder,
            "unodc.prosecuted_by_sex_and_citizenship",
            Counter({(c, s): n for (s, c), n in prosecuted_by_sex_and_citizenship(start, end).items()}),
            0,
            1,
            country_label,
            sex_label,
        ),
        _cross_table(
            builder,
            "unodc.convicted_by_sex_and_citizenship",
            Counter({(c, s): n for (s, c), n in convicted_by_sex_and_citizenship(start, end).items()}),
            0,
            1,
            country_label,
            sex_label,
        ),
    ]
    year = population_year(start, end)
    sdg_table = None
    note = ""
    rows = sdg_rows(
        start,
        end,
        protection.get("victims_identified") or 0,
        protection.get("victims_identified_by_sex") or {},
        protection.get("victims_identified_by_age_group") or {},
    )
    if not population(year):
        note = _("No population figure for %(year)s: add one to compute SDG 16.2.2.") % {"year": year}
    else:
        label_victims, label_population, label_rate = _("Victims"), _("Population"), _("Per 100,000")
        table = builder.table(
            "sdg.16_2_2",
            [label_victims, label_population, label_rate],
            [(label, [count, p.value if p else None, None]) for label, count, p in rows],
            count_columns=(0,),
            totals=False,
            chart=False,
        )
        sources = sorted({p.source for _label, _count, p in rows if p})
        illustrative = any(p.illustrative for _label, _count, p in rows if p)
        for row in table.rows:
            row[3] = rate(row[1], row[2])
        table.source = (
            f"protection · victims_identified · {builder.source('protection.victims_identified').rsplit(' · ', 1)[1]}; "
            + _("population %(year)s: %(sources)s") % {"year": year, "sources": "; ".join(sources)}
        )
        if illustrative:
            note = _("The population figures are illustrative demonstration values, not official statistics.")
        sdg_table = table
    questions = [
        Question(
            _(
                "UNODC Global Report: detected victims by age group, sex, form of exploitation and citizenship"
            ),
            tables=[t for t in victims_tables if t],
        ),
        Question(
            _("UNODC Global Report: persons prosecuted and convicted by sex and citizenship"),
            tables=[t for t in offenders_tables if t],
        ),
        Question(
            _("SDG indicator 16.2.2: victims of trafficking per 100,000 population"),
            tables=[sdg_table] if sdg_table else [],
            note=note,
        ),
    ]
    return Section("international", _("International reporting: UNODC and SDG 16.2.2"), questions)
