"""The report's files: the public version suppresses small cells and names nobody (HTML and the PDF's
own text); the DOCX opens with every section; each table as CSV; the command line writes the file
and leaves nothing half-written when it fails."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from tests.reporting.conftest import END, START
from tipims.audit.models import AuditEvent
from tipims.reporting import render
from tipims.reporting.content import build_report

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_public_version_suppresses_small_cells_and_the_internal_one_keeps_them(year):
    public = build_report(START, END, public=True)
    internal = build_report(START, END, public=False)
    convictions = public.figures["justice.convictions"]
    assert convictions.suppressed and convictions.value is None
    assert internal.figures["justice.convictions"].value == 1
    by_nationality = next(t for t in public.tables if t.key == "protection-victims_identified_by_nationality")
    published = [row[1] for row in by_nationality.rows]
    assert None in published and 2 not in published and 3 not in published
    assert by_nationality.suppressed_cells >= 2  # 2 and 3 are small; then 14 cannot stay alone
    html = render.standalone_html(public)
    assert 'class="suppressed"' in html and 'data-testid="public-note"' in html


def test_the_public_version_keeps_cells_at_or_above_k(year):
    public = build_report(START, END, public=True)
    assert public.figures["protection.victims_identified"].value == 19


def test_shelter_names_stay_out_of_the_public_version(year, caseworker):
    from tipims.protection import services as protection

    protection.shelter_create(
        actor=caseworker, name="Hogar Secreto Las Rosas", capacities={"capacity_female_minor": 4}
    )
    assert "Hogar Secreto Las Rosas" in render.standalone_html(build_report(START, END, public=False))
    assert "Hogar Secreto Las Rosas" not in render.standalone_html(build_report(START, END, public=True))


def test_no_name_of_a_person_reaches_the_public_html_or_pdf(year):
    public = build_report(START, END, public=True)
    html_text = _text(render.standalone_html(public))
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render.pdf(public))).pages)
    assert "Overview" in pdf_text or "Panorama" in pdf_text or "1." in pdf_text
    for name in ["Yesenia", "Marisol", "Tzoc", "Ajanel", "Sagastume", "Rudy", "Xicará", "Recinos"]:
        assert name not in html_text, name
        assert name not in pdf_text, name


def test_the_pdf_carries_the_charts_and_every_section(year):
    with translation.override("en"):
        report = build_report(START, END, public=False)
        html = render.standalone_html(report)
        pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render.pdf(report))).pages)
    assert "<svg" in html and 'data-testid="department-map"' in html
    for title in [
        "Overview",
        "Prevention",
        "Investigation and prosecution",
        "Protection and assistance",
        "TVPA",
    ]:
        assert title in pdf_text, title


def test_the_docx_opens_and_has_every_section(year):
    with translation.override("en"):
        document = Document(io.BytesIO(render.docx(build_report(START, END, public=True))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:4] == [
        "1. Overview",
        "2. Prevention",
        "3. Investigation and prosecution",
        "4. Protection and assistance",
    ]
    assert any("TVPA" in heading for heading in headings)
    assert len(document.tables) > 10


def test_each_table_as_csv_holds_its_rows_and_its_source(year):
    table = next(t for t in build_report(START, END, public=False).tables if t.key == "justice-by_department")
    lines = render.table_csv(table.as_json()["rows"]).splitlines()
    assert any(line.startswith("Santa Rosa,1,0") for line in lines)
    assert "justice · by_department" in lines[-1]


def test_the_command_writes_the_report_and_audits_it(year, tmp_path):
    output = tmp_path / "report.docx"
    events = AuditEvent.objects.filter(object_type="reporting.report").count()
    call_command(
        "report",
        "--from",
        "2025-04-01",
        "--to",
        "2026-03-31",
        "--format",
        "docx",
        "--output",
        str(output),
        "--public",
    )
    assert Document(str(output)).paragraphs
    assert AuditEvent.objects.filter(object_type="reporting.report").count() == events + 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_the_command_refuses_a_backward_period_and_writes_nothing(year, tmp_path):
    output = tmp_path / "report.pdf"
    with pytest.raises(CommandError):
        call_command(
            "report", "--from", "2026-03-31", "--to", "2025-04-01", "--format", "pdf", "--output", str(output)
        )
    with pytest.raises(CommandError):
        call_command(
            "report", "--from", "2026-13-01", "--to", "2025-04-01", "--format", "pdf", "--output", str(output)
        )
    with pytest.raises(CommandError):
        call_command(
            "report", "--from", "1990-01-01", "--to", "1990-12-31", "--format", "pdf", "--output", str(output)
        )
    assert list(tmp_path.iterdir()) == []


def test_a_report_that_fails_half_way_leaves_the_old_file_and_no_partial_one(year, tmp_path):
    output = tmp_path / "report.html"
    output.write_text("the previous report")

    def produce():
        raise RuntimeError("the renderer broke half way")

    with pytest.raises(RuntimeError):
        render.write_atomically(output, produce)
    assert output.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_command_exits_non_zero_on_bad_input(year, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tipims.cli",
            "report",
            "--from",
            "2026-03-31",
            "--to",
            "2025-04-01",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
            "--language",
            "en",
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "TIPIMS_VAR_DIR": str(tmp_path / "var")},
    )
    assert result.returncode != 0
    assert "The period ends before it starts." in result.stderr
    assert not (tmp_path / "x.pdf").exists()
