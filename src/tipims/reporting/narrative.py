"""The narrative draft beside each section: plain sentences written from the figures the section
publishes (so the public draft never repeats a suppressed cell), in the active language. The
coordinator's edited text, stored per period and section, replaces the draft and survives every
regeneration."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def sentence(figure, k: int) -> str:
    if figure.suppressed:
        return _("%(label)s: fewer than %(k)s (not published).") % {"label": figure.label, "k": k}
    if figure.value is None:
        return ""
    text = _("%(label)s: %(value)s.") % {"label": figure.label, "value": _number(figure.value)}
    change = figure.change
    if change is None or figure.previous is None:
        return text
    if change > 0:
        trend = _("up from %(previous)s the year before") % {"previous": _number(figure.previous)}
    elif change < 0:
        trend = _("down from %(previous)s the year before") % {"previous": _number(figure.previous)}
    else:
        trend = _("the same as the year before")
    return text[:-1] + f" ({trend})."


def draft(section, report) -> str:
    lines = [
        _("From %(start)s to %(end)s:") % {"start": report.start.isoformat(), "end": report.end.isoformat()}
    ]
    for question in section.questions:
        lines += [text for text in (sentence(f, report.k) for f in question.figures) if text]
        for table in question.tables:
            if table.rows and table.count_columns and not table.two_way:
                first = table.count_columns[0] + 1
                top = max(
                    (row for row in table.rows if row[first] is not None),
                    key=lambda r: r[first],
                    default=None,
                )
                if top and top[first]:
                    lines.append(
                        _("%(table)s: the largest group is %(category)s (%(value)s).")
                        % {"table": table.title, "category": top[0], "value": _number(top[first])}
                    )
        if question.note:
            lines.append(question.note)
    if len(lines) == 1:
        lines.append(_("No figure for this section in the period."))
    return " ".join(lines)


def attach(report) -> None:
    """Give every section its draft, and the stored narrative where the coordinator wrote one."""
    from tipims.reporting.models import ReportNarrative

    stored = {n.section: n.text for n in ReportNarrative.objects.filter(start=report.start, end=report.end)}
    for section in report.sections:
        section.draft = draft(section, report)
        section.edited = section.key in stored
        section.narrative = stored.get(section.key, section.draft)
