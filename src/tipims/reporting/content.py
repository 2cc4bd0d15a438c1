"""The annual report as data: sections in the structure of the US State Department's trafficking
report questionnaire (overview; prevention; investigation and prosecution; protection and
assistance), then the international tables (UNODC Global Report, SDG 16.2.2) and the TVPA criteria.

Every figure comes from a module's registered statistics (core.stats_registry), from linkage (unique
victims across institutions) or from multiple systems estimation, and carries its definition and its
source (module, figure name, period). The renderers (render.py) only lay this out; disclosure control
of the public version happens here, once, so that the page, the PDF, the DOCX and the CSV files
publish exactly the same cells.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tipims.core import countries, stats_registry, vocabularies
from tipims.core.writes import field_error
from tipims.reporting import international, narrative
from tipims.statistics.disclosure import DEFAULT_K, suppress

DATA = Path(__file__).parent / "data"
MODULES = ("justice", "protection", "border", "monitoring")
# Figures that are not counts of people or events: never suppressed as small cells.
NOT_COUNTS = {"protection.returns_median_days_identification_to_handover", "protection.capacity_by_shelter"}
# Shelter names locate safe houses: the public version gives totals only.
INTERNAL_ONLY = {"protection.occupancy_by_shelter", "protection.capacity_by_shelter"}
# How each breakdown's categories are labelled: a vocabulary name, or "country".
CATEGORY_LABELS = {
    "justice.by_offence": "offence",
    "justice.by_exploitation": "vic_TypeOfExploitation",
    "justice.defendants_by_sex": "prs_Gender",
    "justice.defendants_by_nationality": "country",
    "protection.victims_identified_by_sex": "prs_Gender",
    "protection.victims_identified_by_age_group": "victim_age_group",
    "protection.victims_identified_by_nationality": "country",
    "protection.victims_identified_by_exploitation": "vic_TypeOfExploitation",
    "protection.services_delivered_by_type": "service_type",
    "protection.referrals_by_status": "referral_status",
    "border.crossings_by_direction": "crossing_direction",
    "border.alerts_by_kind": "alert_kind",
    "border.deportations_received": "country",
    "monitoring.minors_by_nationality": "country",
    "prevention.campaigns_by_medium": "campaign_medium",
    "prevention.campaigns_by_department": "department",
    "prevention.people_trained_by_audience": "training_audience",
    "prevention.commitments_by_status": "commitment_status",
    "protection.victims_identified_by_institution": "institution",
}

Progress = Callable[[int, str], None]


class ReportRefused(ValidationError):
    """The report cannot be made for this request; the message says why, naming the field."""


@cache
def _definitions() -> dict:
    return json.loads((DATA / "figures.json").read_text(encoding="utf-8"))


def _department_names() -> dict[str, str]:
    from tipims.core.models import Department

    return {str(code): name for code, name in Department.objects.values_list("code", "name")}


@cache
def tvpa_catalogue() -> dict:
    return json.loads((DATA / "tvpa.json").read_text(encoding="utf-8"))


def validate_data() -> None:
    """The data files are complete: four standards, twelve criteria, every text in es and en."""
    from django.core.exceptions import ImproperlyConfigured

    catalogue = tvpa_catalogue()
    if len(catalogue["standards"]) != 4 or len(catalogue["criteria"]) != 12:
        raise ImproperlyConfigured("reporting/data/tvpa.json needs 4 standards and 12 criteria")
    for entry in [*catalogue["standards"], *catalogue["criteria"]]:
        for language in ("es", "en"):
            if not entry.get(language) or not entry["missing"].get(language):
                raise ImproperlyConfigured(f"tvpa.json: {entry.get('key')} lacks its {language} text")
    for key, entry in _definitions().items():
        if "." not in key or any(len(entry.get(language) or ()) != 2 for language in ("es", "en")):
            raise ImproperlyConfigured(f"figures.json: {key} needs a label and a definition in es and en")


def _language() -> str:
    return "en" if (get_language() or "es").startswith("en") else "es"


def describe(key: str) -> tuple[str, str]:
    """(label, definition) of a figure in the active language."""
    entry = _definitions().get(key)
    if entry:
        label, definition = entry[_language()]
        return label, definition
    module, name = key.split(".", 1)
    return name.replace("_", " ").capitalize(), _(
        "As defined by the statistics of the %(module)s module."
    ) % {"module": module}


def category_label(key: str, code: str) -> str:
    kind = CATEGORY_LABELS.get(key)
    if kind == "country":
        return countries.name(code, _language())
    if kind == "department":
        return _department_names().get(code, code)
    if kind == "institution":
        from tipims.accounts.models import Institution

        return Institution.objects.filter(code=code).values_list("name", flat=True).first() or code
    if kind and code != "unknown":
        return vocabularies.label(kind, code, _language())
    return _("unknown") if code == "unknown" else code


# --- periods -----------------------------------------------------------------------------------------


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last complete reporting year, April 1 to March 31."""
    today = today or timezone.localdate()
    end_year = today.year if today >= datetime.date(today.year, 3, 31) else today.year - 1
    return datetime.date(end_year - 1, 4, 1), datetime.date(end_year, 3, 31)


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # February 29
        return day.replace(year=day.year - 1, day=28)


def previous_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The same dates one year earlier: year-on-year comparison."""
    return _year_earlier(start), _year_earlier(end)


def validate_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None:
        raise field_error("start", _("Give the first day of the period."), code="required")
    if end is None:
        raise field_error("end", _("Give the last day of the period."), code="required")
    if end < start:
        raise ReportRefused(
            {"end": ValidationError(_("The period ends before it starts."), code="before_start")}
        )


def period_label(start: datetime.date, end: datetime.date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


# --- the report's parts ------------------------------------------------------------------------------

SUPPRESSED = None  # a published cell that disclosure control hid


@dataclass
class Figure:
    key: str
    label: str
    definition: str
    source: str
    value: int | float | None
    previous: int | float | None = None
    suppressed: bool = False
    previous_suppressed: bool = False
    comparable: bool = True

    @property
    def change(self) -> int | float | None:
        if not self.comparable or self.suppressed or self.previous_suppressed:
            return None
        if isinstance(self.value, int | float) and isinstance(self.previous, int | float):
            return round(self.value - self.previous, 1)
        return None

    @property
    def change_percent(self) -> float | None:
        change = self.change
        if change is None or not self.previous:
            return None
        return round(100 * change / self.previous, 1)


@dataclass
class Table:
    key: str  # a slug: the name of its CSV file
    title: str
    definition: str
    source: str
    columns: list[str]
    rows: list[list]  # first cell the row label, then the values (None = suppressed)
    totals: list | None = None  # one value per value column, or None when not published
    count_columns: tuple[int, ...] = ()  # which value columns are counts (disclosure applies)
    suppressed_cells: int = 0
    totals_hidden: bool = False
    two_way: bool = False  # a cross-tabulation (age group by sex), not one breakdown per column
    chart: object | None = None  # web.charts.BarChart of the first count column
    map: object | None = None  # web.charts.DepartmentMap

    def csv_rows(self) -> list[list]:
        mark = "x"
        rows = [[self.title], [], ["", *self.columns]]
        rows += [[cell if cell is not None else mark for cell in row] for row in self.rows]
        if self.totals is not None:
            rows.append([_("Total"), *[cell if cell is not None else mark for cell in self.totals]])
        if self.suppressed_cells:
            rows.append(
                [_("x: suppressed to protect the people counted (fewer than %(k)s).") % {"k": DEFAULT_K}]
            )
        rows.append([_("Source: %(source)s") % {"source": self.source}])
        return rows

    def as_json(self) -> dict:
        # Dates and decimals (training hours) as text: the rows are kept as JSON for the CSV files.
        return json.loads(json.dumps({"title": self.title, "rows": self.csv_rows()}, default=str))


@dataclass
class Question:
    text: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    questions: list[Question]
    draft: str = ""
    narrative: str = ""
    edited: bool = False


@dataclass
class CriterionRow:
    key: str
    kind: str  # "standard" or "criterion"
    text: str
    evidence: list[str]
    missing: list[str]


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    public: bool
    language: str
    generated_at: datetime.datetime
    sections: list[Section]
    tvpa: list[CriterionRow]
    k: int = DEFAULT_K

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for q in section.questions for table in q.tables]

    @property
    def figures(self) -> dict[str, Figure]:
        return {f.key: f for section in self.sections for q in section.questions for f in q.figures}

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)


# --- gathering ----------------------------------------------------------------------------------------


def _prevention_contract():
    """The prevention module's selectors once it implements the report contract, else None."""
    try:
        from tipims.prevention import selectors
    except ImportError:
        return None
    needed = ("report_commitments", "report_campaigns", "report_trainings")
    return selectors if all(hasattr(selectors, name) for name in needed) else None


def gather(start: datetime.date, end: datetime.date) -> dict[str, Mapping]:
    """Every registered module's figures for the period (only what exists)."""
    wanted = [*MODULES, "prevention"]
    registered = set(stats_registry.modules())
    return {module: stats_registry.compute(module, start, end) for module in wanted if module in registered}


def _has_data(figures: Mapping[str, Mapping], lists: Mapping[str, list]) -> bool:
    for module_figures in figures.values():
        for value in module_figures.values():
            if isinstance(value, Mapping):
                if any(v for v in value.values()):
                    return True
            elif value:
                return True
    return any(lists.values())


class _Builder:
    def __init__(self, start, end, *, public: bool, current: dict, previous: dict):
        self.start, self.end, self.public = start, end, public
        self.previous_start, self.previous_end = previous_period(start, end)
        self.current, self.previous = current, previous
        self.k = DEFAULT_K

    def source(self, key: str, start=None, end=None) -> str:
        module, name = key.split(".", 1)
        return f"{module} · {name} · {period_label(start or self.start, end or self.end)}"

    def _hide(self, key: str, value) -> bool:
        return (
            self.public
            and key not in NOT_COUNTS
            and isinstance(value, int)
            and not isinstance(value, bool)
            and 0 < value < self.k
        )

    def figure(self, key: str, value=None, previous=None, *, comparable: bool = True) -> Figure:
        module, name = key.split(".", 1)
        if value is None and module in self.current:
            value = self.current[module].get(name)
        if previous is None and module in self.previous:
            previous = self.previous[module].get(name)
        label, definition = describe(key)
        result = Figure(key, label, definition, self.source(key), value, previous, comparable=comparable)
        if self._hide(key, value):
            result.value, result.suppressed = None, True
        if self._hide(key, previous):
            result.previous, result.previous_suppressed = None, True
        return result

    def figures(self, module: str, names: list[str]) -> list[Figure]:
        if module not in self.current:
            return []
        return [self.figure(f"{module}.{name}") for name in names if name in self.current[module]]

    def table(
        self,
        key: str,
        columns: list[str],
        rows: list[tuple[str, list]],
        *,
        title: str | None = None,
        definition: str | None = None,
        source: str | None = None,
        count_columns: tuple[int, ...] | None = None,
        totals: bool = True,
        chart: bool = True,
        two_way: bool = False,
    ) -> Table:
        """A table of counts; in the public version, disclosure-controlled. ``two_way``: the count
        columns are categories of one variable (age group by sex) whose row totals are meaningful, so
        the table is protected as a whole. Otherwise each count column is its own breakdown (this
        period, the previous one; victims, cases) and is protected on its own: its total is the only
        other figure published about it."""
        label, meaning = describe(key)
        count_columns = tuple(range(len(columns))) if count_columns is None else count_columns
        values = [list(values) for _, values in rows]
        suppressed_cells, hidden_totals = 0, set()
        if self.public and count_columns and values and key not in NOT_COUNTS:
            groups = [count_columns] if two_way else [(c,) for c in count_columns]
            for group in groups:
                matrix = [[int(row[c] or 0) for c in group] for row in values]
                result = suppress(matrix, k=self.k)
                for r, row in enumerate(values):
                    for i, c in enumerate(group):
                        if result.suppressed[r][i]:
                            row[c] = SUPPRESSED
                            suppressed_cells += 1
                if result.totals_hidden:
                    hidden_totals.update(group)
        totals_hidden = bool(hidden_totals)
        total_row = None
        if totals and count_columns and values:
            total_row = [
                (None if c in hidden_totals else sum(int(row[c] or 0) for _, row in rows))
                if c in count_columns
                else ""
                for c, _ in enumerate(columns)
            ]
        table = Table(
            key=key.replace(".", "-"),
            title=title or label,
            definition=definition or meaning,
            source=source or self.source(key),
            columns=columns,
            rows=[[row_label, *cells] for (row_label, _), cells in zip(rows, values, strict=True)],
            totals=total_row,
            count_columns=count_columns,
            suppressed_cells=suppressed_cells,
            totals_hidden=totals_hidden,
            two_way=two_way,
        )
        if chart and count_columns and values:
            from tipims.web.charts import bar_chart

            first = count_columns[0]
            bars = [(row[0], row[first + 1]) for row in table.rows if row[first + 1] is not None][:15]
            table.chart = bar_chart(bars) if bars else None
        return table

    def breakdown(self, key: str) -> Table | None:
        """A module's breakdown as a table: this period and the previous one."""
        module, name = key.split(".", 1)
        if module not in self.current or (key in INTERNAL_ONLY and self.public):
            return None
        now = self.current[module].get(name) or {}
        before = (self.previous.get(module) or {}).get(name) or {}
        codes = sorted(set(now) | set(before), key=lambda code: (-(now.get(code) or 0), str(code)))
        if not codes:
            return None
        rows = [
            (category_label(key, str(code)), [now.get(code, 0) or 0, before.get(code, 0) or 0])
            for code in codes
        ]
        columns = [period_label(self.start, self.end), period_label(self.previous_start, self.previous_end)]
        return self.table(key, columns, rows)


def _overlap_estimate(builder: _Builder) -> tuple[list[Figure], str]:
    """Unique victims across institutions and the multiple systems estimate, for both periods."""
    from tipims.linkage.selectors import unique_persons
    from tipims.linkage.statistics import victim_records as records
    from tipims.statistics import mse
    from tipims.statistics.overlaps import capture_table

    now, before = records(builder.start, builder.end), records(builder.previous_start, builder.previous_end)
    figures = [
        builder.figure("linkage.victim_records", now.count(), before.count()),
        builder.figure("linkage.unique_victims", unique_persons(now), unique_persons(before)),
    ]
    note = ""
    try:
        # The report gives the profile-likelihood interval; the bootstrap (the live estimate page's
        # second interval) would cost seconds for nothing printed here.
        result = mse.estimate(capture_table(now), "bic", resamples=0)
    except mse.EstimationError as error:
        return figures, _("No estimate for this period: %(reason)s.") % {"reason": error}
    figures += [
        builder.figure("estimate.observed", result.observed, comparable=False),
        builder.figure("estimate.total", round(result.total), comparable=False),
        builder.figure("estimate.unseen", round(result.unseen), comparable=False),
    ]
    if result.interval:
        note = _("95%% interval (profile likelihood): %(low)s to %(high)s. Model: %(model)s.") % {
            "low": round(result.interval[0]),
            "high": round(result.interval[1]),
            "model": result.model,
        }
    else:
        note = _("Model: %(model)s.") % {"model": result.model}
    if builder.public and result.observed < builder.k:
        figures = figures[:2]
        note = _("The estimate is not published: too few victims observed.")
    return figures, note


def _month_trend(builder: _Builder) -> Table | None:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from tipims.justice.models import CriminalCase
    from tipims.protection.models import Victim

    def by_month(queryset, field_name):
        rows = (
            queryset.annotate(month=TruncMonth(field_name)).order_by().values("month").annotate(n=Count("id"))
        )
        return {row["month"].strftime("%Y-%m"): row["n"] for row in rows if row["month"]}

    victims = by_month(
        Victim.objects.filter(identified_on__range=(builder.start, builder.end)), "identified_on"
    )
    cases = by_month(CriminalCase.objects.filter(opened_on__range=(builder.start, builder.end)), "opened_on")
    months = sorted(set(victims) | set(cases))
    if not months:
        return None
    rows = [(month, [victims.get(month, 0), cases.get(month, 0)]) for month in months]
    return builder.table(
        "trend.by_month",
        [_("Victims identified"), _("Cases opened")],
        rows,
        source=f"protection · Victim.identified_on; justice · CriminalCase.opened_on · {period_label(builder.start, builder.end)}",
    )


def _department_map(builder: _Builder, table: Table | None):
    """The map of cases opened by department, from the published (possibly suppressed) table."""
    if table is None:
        return None
    from tipims.core.models import Department
    from tipims.web.charts import department_map

    codes = dict(Department.objects.values_list("name", "code"))
    counts = {codes[row[0]]: row[1] for row in table.rows if row[0] in codes and row[1] is not None}
    return department_map(counts) if counts else None


def _list_table(
    builder: _Builder, key: str, title: str, definition: str, columns, rows, count_columns, two_way=False
):
    return builder.table(
        key,
        columns,
        rows,
        title=title,
        definition=definition,
        source=f"prevention · {key.split('.', 1)[1]} · {period_label(builder.start, builder.end)}",
        count_columns=count_columns,
        totals=bool(count_columns),
        chart=False,
        two_way=two_way,
    )


def _prevention_section(builder: _Builder, lists: dict) -> Section:
    questions = []
    missing = _("No data from the prevention module yet.")
    if builder.current.get("prevention") is not None:
        figures = [
            builder.figure(f"prevention.{name}")
            for name, value in builder.current["prevention"].items()
            if not isinstance(value, Mapping)
        ]
        tables = [
            t
            for t in (
                builder.breakdown(f"prevention.{name}")
                for name, value in builder.current["prevention"].items()
                if isinstance(value, Mapping)
            )
            if t
        ]
        for table in tables:
            if table.key == "prevention-campaigns_by_department":
                table.map = _department_map(builder, table)
        questions.append(
            Question(_("What did the government do to prevent trafficking, in figures?"), figures, tables)
        )
    else:
        questions.append(
            Question(_("What did the government do to prevent trafficking, in figures?"), note=missing)
        )
    contract = lists.get("available")
    campaigns = Question(_("Which awareness campaigns ran, through which media, and whom did they reach?"))
    trainings = Question(_("Which officials and professionals were trained, by whom, and how many?"))
    plan = Question(_("Does the government have a national action plan, and how far has it got?"))
    if not contract:
        for question in (campaigns, trainings, plan):
            question.note = missing
    else:
        if lists["campaigns"]:
            campaigns.tables.append(
                _list_table(
                    builder,
                    "prevention.campaigns",
                    _("Awareness campaigns"),
                    _("Campaigns running during the period, as the prevention module records them."),
                    [_("Institution"), _("Medium"), _("Start"), _("End"), _("Reach")],
                    [
                        (
                            c["title"],
                            [
                                c["institution"],
                                vocabularies.label("campaign_medium", c["medium"], _language()),
                                str(c["start"] or ""),
                                str(c["end"] or ""),
                                c["reach"] or 0,
                            ],
                        )
                        for c in lists["campaigns"]
                    ],
                    (4,),
                )
            )
        else:
            campaigns.note = _("No campaign recorded for this period.")
        if lists["trainings"]:
            trainings.tables.append(
                _list_table(
                    builder,
                    "prevention.trainings",
                    _("Trainings"),
                    _("Trainings held in the period: audience, partner, hours and people trained by sex."),
                    [
                        _("Audience"),
                        _("Partner"),
                        _("Date"),
                        _("Hours"),
                        _("People trained"),
                        _("Women"),
                        _("Men"),
                    ],
                    [
                        (
                            t["title"],
                            [
                                vocabularies.label("training_audience", t["audience"], _language()),
                                t["partner"],
                                str(t["date"] or ""),
                                t["hours"] or 0,
                                t["people_trained"] or 0,
                                t["women"] or 0,
                                t["men"] or 0,
                            ],
                        )
                        for t in lists["trainings"]
                    ],
                    (5, 6),
                    two_way=True,
                )
            )
            for row in trainings.tables[-1].rows:
                if row[6] is None or row[7] is None:  # else women or men = trained - the other
                    row[5] = SUPPRESSED
        else:
            trainings.note = _("No training recorded for this period.")
        if lists["commitments"]:
            plan.tables.append(
                _list_table(
                    builder,
                    "prevention.commitments",
                    _("National action plan commitments"),
                    _(
                        "Commitments due or updated in the period, with their responsible institutions and status."
                    ),
                    [_("Responsible institutions"), _("Due"), _("Status"), _("Last update")],
                    [
                        (
                            c["text"],
                            [
                                ", ".join(c["institutions"])
                                if isinstance(c["institutions"], list | tuple)
                                else c["institutions"],
                                str(c["due_date"] or ""),
                                vocabularies.label("commitment_status", c["status"], _language()),
                                str(c["last_update"] or ""),
                            ],
                        )
                        for c in lists["commitments"]
                    ],
                    (),
                )
            )
        else:
            plan.note = _("No commitment recorded for this period.")
    questions += [campaigns, trainings, plan]
    border = Question(
        _("Does the government screen migration for signs of trafficking?"),
        builder.figures(
            "border",
            [
                "crossings",
                "minor_crossings",
                "secondary_inspections",
                "alerts",
                "alerts_confirmed",
                "minors_unaccompanied",
            ],
        ),
        [
            t
            for t in (
                builder.breakdown("border.alerts_by_kind"),
                builder.breakdown("border.deportations_received"),
            )
            if t
        ],
    )
    if "border" not in builder.current:
        border.note = _("No data from the border module yet.")
    demand = Question(
        _("What was done to reduce the demand for commercial sex and forced labour?"),
        builder.figures(
            "monitoring",
            ["visits", "establishments_visited", "entry_denied", "minors_confirmed", "minors_suspected"],
        ),
        [
            t
            for t in (
                builder.breakdown("monitoring.minors_by_nationality"),
                builder.breakdown("monitoring.minors_by_department"),
            )
            if t
        ],
    )
    questions += [border, demand]
    return Section("prevention", _("Prevention"), questions)


def _prosecution_section(builder: _Builder) -> Section:
    by_department = builder.breakdown("justice.by_department")
    if by_department is not None:
        by_department.map = _department_map(builder, by_department)
    questions = [
        Question(
            _("How many trafficking cases did the authorities investigate, prosecute and bring to judgment?"),
            builder.figures(
                "justice", ["complaints", "cases_opened", "prosecutions", "convictions", "acquittals"]
            ),
            [
                t
                for t in (
                    builder.breakdown("justice.by_offence"),
                    builder.breakdown("justice.by_exploitation"),
                    by_department,
                )
                if t
            ],
        ),
        Question(
            _("Who were the defendants?"),
            [],
            [
                t
                for t in (
                    builder.breakdown("justice.defendants_by_sex"),
                    builder.breakdown("justice.defendants_by_nationality"),
                )
                if t
            ],
        ),
        Question(
            _("Were officials complicit in trafficking investigated, prosecuted or punished?"),
            builder.figures(
                "justice", ["officials_prosecuted", "officials_disciplined", "officials_dismissed"]
            ),
        ),
    ]
    if "justice" not in builder.current:
        questions[0].note = _("No data from the justice module yet.")
    return Section("prosecution", _("Investigation and prosecution"), questions)


def _protection_section(builder: _Builder) -> Section:
    shelter_figures = builder.figures("protection", ["sheltered_now"])
    questions = [
        Question(
            _("How many victims were identified, and who are they?"),
            builder.figures("protection", ["victims_identified"]),
            [
                t
                for t in (
                    builder.breakdown("protection.victims_identified_by_sex"),
                    builder.breakdown("protection.victims_identified_by_age_group"),
                    builder.breakdown("protection.victims_identified_by_nationality"),
                    builder.breakdown("protection.victims_identified_by_exploitation"),
                    builder.breakdown("protection.victims_identified_by_institution"),
                )
                if t
            ],
        ),
        Question(
            _("What assistance did victims receive?"),
            builder.figures("protection", ["services_delivered", "referrals"]) + shelter_figures,
            [
                t
                for t in (
                    builder.breakdown("protection.services_delivered_by_type"),
                    builder.breakdown("protection.referrals_by_status"),
                    builder.breakdown("protection.occupancy_by_shelter"),
                )
                if t
            ],
        ),
        Question(
            _("Were foreign victims and nationals abroad returned safely?"),
            builder.figures(
                "protection", ["returns_completed", "returns_median_days_identification_to_handover"]
            ),
        ),
    ]
    if "protection" not in builder.current:
        questions[0].note = _("No data from the protection module yet.")
    return Section("protection", _("Protection and assistance"), questions)


def _tvpa(
    report_figures: dict[str, Figure], tables: list[Table], prevention_available: bool
) -> list[CriterionRow]:
    language = _language()
    by_key = {t.key.replace("-", ".", 1): t for t in tables}
    rows = []
    catalogue = tvpa_catalogue()
    for kind, entries in (("standard", catalogue["standards"]), ("criterion", catalogue["criteria"])):
        for entry in entries:
            evidence, missing = [], []
            for ref in entry["evidence"]:
                if ref == "comparison":
                    changed = [f for f in report_figures.values() if f.change]
                    if changed:
                        evidence.append(
                            _("%(n)s figures compared with the previous period (see each section).")
                            % {"n": len(changed)}
                        )
                    else:
                        missing.append(_("No figure to compare with the previous period."))
                elif ref == "prevention.*":
                    if prevention_available:
                        evidence.append(
                            _("Prevention module: campaigns, trainings and action plan (prevention section).")
                        )
                    else:
                        missing.append(_("No data from the prevention module yet."))
                elif ref in report_figures:
                    figure = report_figures[ref]
                    shown = _("suppressed") if figure.suppressed else figure.value
                    if figure.suppressed or figure.value:
                        evidence.append(f"{figure.label}: {shown} ({figure.source})")
                    else:
                        missing.append(_("%(label)s: none recorded in the period.") % {"label": figure.label})
                elif ref in by_key:
                    evidence.append(f"{by_key[ref].title} ({by_key[ref].source})")
                else:
                    label, _definition = describe(ref)
                    missing.append(_("%(label)s: no data in the system for the period.") % {"label": label})
            missing.append(entry["missing"][language])
            rows.append(CriterionRow(entry["key"], kind, entry[language], evidence, missing))
    return rows


def build_report(
    start: datetime.date,
    end: datetime.date,
    *,
    public: bool,
    progress: Progress | None = None,
) -> Report:
    """The report for the period, in the active language. ``progress(percent, step)`` is told along
    the way. Raises ReportRefused for a bad period or a period with no data at all."""
    step = progress or (lambda percent, label: None)
    validate_period(start, end)
    step(5, _("Module figures for the period"))
    current = gather(start, end)
    contract = _prevention_contract()
    lists = {"available": contract is not None, "campaigns": [], "trainings": [], "commitments": []}
    if contract is not None:
        lists["campaigns"] = list(contract.report_campaigns(start, end))
        lists["trainings"] = list(contract.report_trainings(start, end))
        lists["commitments"] = list(contract.report_commitments(start, end))
    if not _has_data(current, {k: v for k, v in lists.items() if k != "available"}):
        raise ReportRefused(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _("No module has any record for %(period)s: there is nothing to report.")
                    % {"period": period_label(start, end)},
                    code="no_data",
                )
            }
        )
    step(25, _("Module figures for the previous period"))
    previous = gather(*previous_period(start, end))
    builder = _Builder(start, end, public=public, current=current, previous=previous)

    step(40, _("Unique victims and the estimate of hidden victims"))
    overlap_figures, estimate_note = _overlap_estimate(builder)
    trend = _month_trend(builder)
    overview = Section(
        "overview",
        _("Overview"),
        [
            Question(
                _(
                    "How many victims did the authorities identify, counting each person once, and how many may there be?"
                ),
                builder.figures("protection", ["victims_identified"]) + overlap_figures,
                [trend] if trend else [],
                note=estimate_note,
            ),
        ],
    )
    step(55, _("Prevention, prosecution and protection"))
    prevention = _prevention_section(builder, lists)
    prosecution = _prosecution_section(builder)
    protection = _protection_section(builder)

    step(65, _("UNODC and SDG 16.2.2 tables"))
    international_section = international.section(builder)

    sections = [overview, prevention, prosecution, protection, international_section]
    report = Report(
        start=start,
        end=end,
        previous_start=builder.previous_start,
        previous_end=builder.previous_end,
        public=public,
        language=_language(),
        generated_at=timezone.now(),
        sections=sections,
        tvpa=[],
    )
    step(75, _("TVPA minimum standards and criteria"))
    report.tvpa = _tvpa(report.figures, report.tables, contract is not None or "prevention" in current)
    step(80, _("Narratives"))
    narrative.attach(report)
    return report
