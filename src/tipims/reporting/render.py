"""The report laid out: an HTML fragment for the web page, a standalone HTML file, a PDF (WeasyPrint,
as the justice case brief) and an editable DOCX (python-docx); each table as CSV. Files are written
to a temporary file beside the target and moved into place, so a failure leaves no half-written file.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tipims.reporting.content import Report, Table

FORMATS = ("html", "pdf", "docx")


def article(report: Report, *, csv_base: str = "", narrative_edit_url: str = "") -> str:
    return render_to_string(
        "reporting/_article.html",
        {"report": report, "csv_base": csv_base, "narrative_edit_url": narrative_edit_url},
    )


def standalone_html(report: Report) -> str:
    return render_to_string("reporting/report_print.html", {"report": report})


def _refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint fetches nothing: no file, no network (the PDF carries its own styles and SVG)."""
    raise ValueError(f"not fetched: {url}")


def pdf(report: Report) -> bytes:
    import weasyprint  # heavy, and needs Pango: loaded only when a PDF is asked for

    return weasyprint.HTML(string=standalone_html(report), url_fetcher=_refuse_fetch).write_pdf()


def _cell(value) -> str:
    return "x" if value is None else str(value)


def _docx_table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _cell(value)


def _docx_data_table(document, report: Report, table: Table) -> None:
    document.add_paragraph(table.title, style="Heading 4")
    document.add_paragraph(f"{table.definition} {_('Source:')} {table.source}")
    rows = [list(row) for row in table.rows]
    if table.totals is not None:
        rows.append([_("Total"), *table.totals])
    _docx_table(document, ["", *table.columns], rows)
    if table.suppressed_cells:
        document.add_paragraph(
            _(
                "Cells marked x are suppressed: they count fewer than %(k)s people, or would reveal one that does."
            )
            % {"k": report.k}
        )


def docx(report: Report) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(_("Annual report on trafficking in persons"), level=0)
    document.add_paragraph(_("Reporting period: %(period)s") % {"period": report.period})
    if report.public:
        document.add_paragraph(
            _("Public version: cells counting fewer than %(k)s people are suppressed and shown as x.")
            % {"k": report.k}
        )
    else:
        document.add_paragraph(
            _("Internal version with exact figures, for the coordinator alone. Do not publish.")
        )
    for number, section in enumerate(report.sections, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        document.add_heading(_("Narrative"), level=2)
        document.add_paragraph(section.narrative)
        for question in section.questions:
            document.add_heading(question.text, level=3)
            if question.note:
                document.add_paragraph(question.note)
            if question.figures:
                _docx_table(
                    document,
                    [
                        _("Figure"),
                        report.period,
                        _("Previous period"),
                        _("Change"),
                        _("Definition and source"),
                    ],
                    [
                        [
                            f.label,
                            f.value,
                            f.previous if f.comparable else "–",
                            "–" if f.change is None else f.change,
                            f"{f.definition} {f.source}",
                        ]
                        for f in question.figures
                    ],
                )
            for table in question.tables:
                _docx_data_table(document, report, table)
    document.add_heading(
        f"{len(report.sections) + 1}. {_('TVPA minimum standards and criteria: evidence and gaps')}", level=1
    )
    _docx_table(
        document,
        [_("Standard or criterion"), _("Evidence in the system"), _("Missing")],
        [[row.text, "\n".join(row.evidence) or _("None."), "\n".join(row.missing)] for row in report.tvpa],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    if fmt == "html":
        return standalone_html(report).encode("utf-8")
    if fmt == "pdf":
        return pdf(report)
    if fmt == "docx":
        return docx(report)
    raise ValueError(f"unknown format {fmt!r}")


def table_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def write_atomically(path: Path, produce) -> None:
    """Write what ``produce()`` returns to ``path`` through a temporary file in the same directory and
    an atomic rename: if ``produce`` fails, the target is untouched and no temporary file remains."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(produce())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
