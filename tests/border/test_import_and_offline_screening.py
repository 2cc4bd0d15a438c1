import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tipims.audit.models import AuditEvent
from tipims.border import imports
from tipims.border.bulk_encryption import encrypt_many
from tipims.border.imports import ImportFailed, import_crossings
from tipims.border.models import Alert, Crossing
from tipims.core import crypto
from tipims.people.models import PersonRecord

pytestmark = pytest.mark.django_db

HEADER = (
    "given_names,surname1,surname2,sex,birth_date,nationality,document_type,document_number,"
    "direction,crossed_at,point,deported\n"
)


def write(tmp_path, rows, name="crossings.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


GOOD = [
    "Kevin,Tzoc,Pop,Masculine,1990-01-05,GT,DPI,2345 67890 1201,in,2025-03-01T08:15:00-06:00,el-carmen,no",
    "Dulce,Chávez,,Feminine,2012-06-01,HN,,,out,2025-03-01T09:00:00-06:00,tecun-uman,",
    "Selvin,Batz,,Masculine,,SV,PASSPORT,SV 1,in,2025-03-02 10:00,el-carmen,yes",
]


def test_a_clean_file_loads_whole_with_one_audit_event(tmp_path, officer):
    result = import_crossings(write(tmp_path, GOOD), actor=officer)
    assert result.loaded == 3 and Crossing.objects.count() == 3 and PersonRecord.objects.count() == 3
    assert Crossing.objects.get(point__code="tecun-uman").is_minor
    assert Crossing.objects.filter(deported=True).count() == 1
    assert AuditEvent.objects.filter(object_type="border.crossing", object_id="import:3").exists()


def test_one_bad_row_loads_nothing_and_names_line_and_field(tmp_path, officer):
    rows = [
        *GOOD,
        "Ana,López,,Feminine,1990-02-30,GT,,,in,2025-03-01T08:00:00,el-carmen,no",
        "Ana,López,,Feminine,,GT,,,sideways,2999-01-01T00:00:00,atlantis,no",
    ]
    before = (Crossing.objects.count(), PersonRecord.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportFailed) as failure:
        import_crossings(write(tmp_path, rows), actor=officer)
    found = {(e.line, e.field) for e in failure.value.result.errors}
    assert found == {(5, "birth_date"), (6, "direction"), (6, "crossed_at"), (6, "point")}
    assert (Crossing.objects.count(), PersonRecord.objects.count(), AuditEvent.objects.count()) == before


def test_the_command_reports_errors_and_exits_non_zero(tmp_path, officer):
    path = write(tmp_path, ["Ana,López,,Feminine,,GT,,,in,not-a-time,el-carmen,no"])
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command(
            "import", "crossings", str(path), "--as", officer.username, "--errors", str(tmp_path / "e.csv")
        )
    report = list(csv.reader((tmp_path / "e.csv").open()))
    assert report[1][:2] == ["2", "crossed_at"]


def test_imported_crossings_are_screened_against_the_watchlist(tmp_path, officer, wanted):
    rows = ["Biron,Sagastume,Orellana,Masculine,1975-12-03,GT,,,in,2025-03-01T08:15:00-06:00,el-carmen,no"]
    result = import_crossings(write(tmp_path, rows), actor=officer)
    assert result.alerts == 1
    assert Crossing.objects.get().inspection == "secondary"
    assert Alert.objects.get().entry == wanted


def test_a_parquet_file_loads_too(tmp_path, officer):
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = HEADER.strip().split(",")
    rows = [dict(zip(columns, next(csv.reader([line])), strict=True)) for line in GOOD]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
    assert import_crossings(tmp_path / "c.parquet", actor=officer).loaded == 3


def test_imported_identity_is_stored_as_fernet_tokens_that_read_back(tmp_path, officer):
    import_crossings(write(tmp_path, GOOD[:1]), actor=officer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, birth_date FROM people_personrecord")
        stored_name, stored_birth = cursor.fetchone()
        cursor.execute("SELECT document_number FROM border_crossing")
        (stored_number,) = cursor.fetchone()
    assert "Kevin" not in stored_name and stored_name.startswith("gAAAAA")
    assert crypto.decrypt(stored_birth) == "1990-01-05"
    assert crypto.decrypt(stored_number) == "2345 67890 1201"
    person = PersonRecord.objects.get()
    assert (person.given_names, person.surname1, person.birth_date) == (
        "Kevin",
        "Tzoc",
        datetime.date(1990, 1, 5),
    )
    assert person.reference.startswith("P-") and Crossing.objects.get().reference.startswith("X-")


def test_bulk_encryption_gives_ordinary_tokens_never_twice_the_same():
    values = ["Kevin", "Kevin", "Hernández de la Cruz y Pérez Sánchez", "1990-01-05", "x" * 16]
    tokens = encrypt_many(values)
    assert [crypto.decrypt(token) for token in tokens] == values
    assert tokens[0] != tokens[1]
    assert all(crypto.is_under_primary_key(token) for token in tokens)


def test_a_traveller_who_crosses_again_with_the_same_document_is_one_person_record(tmp_path, officer):
    going = "Kevin,Tzoc,Pop,Masculine,1990-01-05,GT,DPI,2345 67890 1201,out,2025-03-01T08:15:00-06:00,el-carmen,no"
    back = (
        "Kevin,Tzoc,Pop,Masculine,1990-01-05,GT,DPI,2345678901201,in,2025-03-04T18:00:00-06:00,el-carmen,no"
    )
    other = (
        "Selvin,Batz,,Masculine,1991-02-02,GT,DPI,2345 67890 1201,in,2025-03-05T09:00:00-06:00,el-carmen,no"
    )
    import_crossings(write(tmp_path, [going, back, other]), actor=officer)
    assert Crossing.objects.count() == 3
    assert PersonRecord.objects.count() == 2  # the same document with another name is another person
    import_crossings(
        write(tmp_path, [back.replace("2025-03-04", "2025-03-09")], name="later.csv"), actor=officer
    )
    assert PersonRecord.objects.count() == 2 and Crossing.objects.count() == 4
    kevin = Crossing.objects.filter(person__crossings__crossed_at__day=9).values("person").distinct()
    assert Crossing.objects.filter(person__in=kevin).count() == 3


def test_a_file_larger_than_a_chunk_loads_whole(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 7)
    rows = [
        f"Ana,López,Pérez,Feminine,1990-02-{day:02},GT,PASSPORT,P{day},in,2025-03-{day:02}T08:00:00,el-carmen,no"
        for day in range(1, 26)
    ]
    assert import_crossings(write(tmp_path, rows), actor=officer).loaded == 25
    assert Crossing.objects.count() == 25 and PersonRecord.objects.count() == 25


def test_a_bad_row_after_several_chunks_still_loads_nothing(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 7)
    rows = [
        f"Ana,López,Pérez,Feminine,1990-02-{day:02},GT,PASSPORT,P{day},in,2025-03-{day:02}T08:00:00,el-carmen,no"
        for day in range(1, 26)
    ]
    rows.append("Ana,López,,Feminine,,GT,,,in,2025-03-01T08:00:00,nowhere,no")
    with pytest.raises(ImportFailed) as failure:
        import_crossings(write(tmp_path, rows), actor=officer)
    assert [(e.line, e.field) for e in failure.value.result.errors] == [(27, "point")]
    assert Crossing.objects.count() == 0 and PersonRecord.objects.count() == 0


def test_the_offline_screen_command_writes_alerts_with_their_explanation(tmp_path):
    (tmp_path / "w.csv").write_text(
        "entry_id,given_names,surname1,surname2,name_variants,birth_date,document_type,document_number\n"
        "W1,Byron Estuardo,Sagastume,Orellana,El Chino / Sagastume /,1975-03-12,PASSPORT,GT 998877\n"
        "W2,Glenda,Marroquín,Solares,,1988,,\n",
        encoding="utf-8",
    )
    (tmp_path / "c.csv").write_text(
        "crossing_id,given_names,surname1,surname2,birth_date,document_type,document_number,point\n"
        "C1,Biron,Orellana,Sagastume,1975-12-03,,,el-carmen\n"
        "C2,Juan,Pérez,,1990-01-01,PASSPORT,gt998877,la-aurora\n"
        "C3,Sofía,Xicará,Paiz,1990-05-01,,,el-carmen\n"
        "C4,Glenda,Marroquin,Solares,1988-07-07,,,el-carmen\n",
        encoding="utf-8",
    )
    call_command(
        "screen",
        "--watchlist",
        str(tmp_path / "w.csv"),
        "--crossings",
        str(tmp_path / "c.csv"),
        "--output",
        str(tmp_path / "alerts.csv"),
    )
    rows = list(csv.DictReader((tmp_path / "alerts.csv").open(encoding="utf-8")))
    assert [(r["crossing_id"], r["entry_id"]) for r in rows] == [("C1", "W1"), ("C2", "W1"), ("C4", "W2")]
    assert "swapped order" in rows[0]["explanation"] and "document" in rows[1]["fields_agreed"]


def test_the_document_rules_run_over_an_import(tmp_path, officer):
    """One passport under two names; a man deported three times; one document crossing 8 times in a week."""
    rows = [
        "Ana,López,,Feminine,1990-01-01,GT,PASSPORT,P1,in,2025-03-01T08:00:00,el-carmen,no",
        "Marta,Xicará,Pop,Feminine,1985-05-05,GT,PASSPORT,P1,in,2025-03-02T08:00:00,el-carmen,no",
        *[
            f"Selvin,Batz,,Masculine,1980-01-01,GT,DPI,D9,in,2025-0{month}-10T08:00:00,el-carmen,yes"
            for month in (1, 2, 3)
        ],
        *[
            f"Kevin,Tzoc,,Masculine,1991-01-01,GT,DPI,K7,in,2025-04-0{day}T08:00:00,tecun-uman,no"
            for day in range(1, 9)
        ],
        "Sofía,Paiz,,Feminine,1992-02-02,GT,DPI,S1,in,2025-04-01T08:00:00,tecun-uman,no",
    ]
    result = import_crossings(write(tmp_path, rows), actor=officer)
    kinds = sorted(Alert.objects.values_list("kind", flat=True))
    assert kinds == ["document_many_names", "frequent_crossings", "repeated_deportation"]
    assert result.alerts == 3
    assert Alert.objects.get(kind="frequent_crossings").crossing.crossed_at.day == 8
    assert Alert.objects.get(kind="document_many_names").crossing.person.given_names == "Marta"
    assert Crossing.objects.filter(inspection="secondary").count() == 3
    assert Crossing.objects.get(document_index=crypto.blind_index("DPI", "S1")).inspection == "clear"


# --- the fast paths of the bulk import ---------------------------------------------------------------

ROWS = [
    f"Ana,López,Pérez,Feminine,1990-02-{day:02},GT,PASSPORT,P{day},in,2025-03-{day:02}T08:00:00,el-carmen,no"
    for day in range(1, 26)
]


def _indexes():
    with connection.cursor() as cursor:
        return {
            table: set(connection.introspection.get_constraints(cursor, table))
            for table in ("border_crossing", "people_personrecord")
        }


def _not_here(*args):
    raise AssertionError("the file was to be read in a process of its own")


def test_a_large_file_is_read_in_a_process_of_its_own(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "READ_APART_BYTES", 0)
    monkeypatch.setattr(imports, "CHUNK", 7)
    monkeypatch.setattr(imports, "_read_here", _not_here)
    result = import_crossings(write(tmp_path, ROWS), actor=officer)
    assert result.loaded == result.rows == 25
    assert Crossing.objects.count() == 25 and PersonRecord.objects.count() == 25
    person = Crossing.objects.get(document_index=crypto.blind_index("PASSPORT", "P7")).person
    assert (person.given_names, person.birth_date) == ("Ana", datetime.date(1990, 2, 7))


def test_a_large_file_with_a_bad_row_loads_nothing_and_names_it(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "READ_APART_BYTES", 0)
    monkeypatch.setattr(imports, "CHUNK", 7)
    monkeypatch.setattr(imports, "_read_here", _not_here)
    rows = [
        *ROWS,
        "Ana,López,,Feminine,,GT,,,in,2025-03-01T08:00:00,nowhere,no",
        "Ana,,,,,,,,in,x,el-carmen,no",
    ]
    with pytest.raises(ImportFailed) as failure:
        import_crossings(write(tmp_path, rows), actor=officer)
    assert [(e.line, e.field) for e in failure.value.result.errors] == [(27, "point"), (28, "crossed_at")]
    assert failure.value.result.rows == 27
    assert "point" in str(failure.value.result.errors[0])
    assert Crossing.objects.count() == 0 and PersonRecord.objects.count() == 0


def test_a_large_file_lacking_a_column_is_refused_before_anything_starts(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "READ_APART_BYTES", 0)
    path = tmp_path / "c.csv"
    path.write_text("given_names,direction,point\nAna,in,el-carmen\n", encoding="utf-8")
    with pytest.raises(ValueError, match="crossed_at"):
        import_crossings(path, actor=officer)


def test_indexes_dropped_for_a_large_import_are_there_again_after_it(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "DROP_INDEXES_AT", 10)
    monkeypatch.setattr(imports, "CHUNK", 7)
    before = _indexes()
    dropped = []
    real = imports._Loader._drop_indexes

    def spy(loader, cursor):
        real(loader, cursor)
        dropped.extend(loader.dropped)

    monkeypatch.setattr(imports._Loader, "_drop_indexes", spy)
    assert import_crossings(write(tmp_path, ROWS), actor=officer).loaded == 25
    if connection.vendor == "sqlite":
        assert any("crossed_at" in sql for sql in dropped)  # it did drop them
    else:  # on PostgreSQL that would lock readers out for the whole import
        assert not dropped
    assert not any("document_index" in sql or "UNIQUE" in sql.upper() for sql in dropped)
    assert _indexes() == before
    assert Crossing.objects.filter(crossed_at__date=datetime.date(2025, 3, 9)).count() == 1


def test_indexes_dropped_for_a_failing_import_are_there_after_the_rollback(tmp_path, officer, monkeypatch):
    monkeypatch.setattr(imports, "DROP_INDEXES_AT", 10)
    monkeypatch.setattr(imports, "CHUNK", 7)
    before = _indexes()
    with pytest.raises(ImportFailed):
        import_crossings(write(tmp_path, [*ROWS, "Ana,,,,,,,,in,x,el-carmen,no"]), actor=officer)
    assert _indexes() == before and Crossing.objects.count() == 0


def test_a_reference_already_taken_is_replaced_not_lost(tmp_path, officer, monkeypatch):
    from tipims.border import import_reader

    import_crossings(write(tmp_path, ROWS[:1], name="first.csv"), actor=officer)
    taken = {"X-": Crossing.objects.get().reference, "P-": PersonRecord.objects.get().reference}
    real = import_reader.references
    given = set()

    def colliding(prefix, count, letters):
        fresh = real(prefix, count, letters)
        if prefix not in given:  # the first batch of each kind starts with a reference in use
            given.add(prefix)
            fresh[0] = taken[prefix]
        return fresh

    monkeypatch.setattr(import_reader, "references", colliding)
    assert import_crossings(write(tmp_path, ROWS[1:4]), actor=officer).loaded == 3
    assert given == {"X-", "P-"}
    references = list(Crossing.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 4
    assert PersonRecord.objects.values("reference").distinct().count() == 4


@pytest.mark.parametrize("filter_at", [1, 10**9], ids=["documents-filtered", "every-document-looked-up"])
def test_the_document_rules_see_documents_repeated_across_chunks(tmp_path, officer, monkeypatch, filter_at):
    """As in the test above, with every repetition in another chunk than the first use."""
    monkeypatch.setattr(imports, "CHUNK", 1)
    monkeypatch.setattr(imports, "FILTER_AT", filter_at)
    rows = [
        "Ana,López,,Feminine,1990-01-01,GT,PASSPORT,P1,in,2025-03-01T08:00:00,el-carmen,no",
        "Marta,Xicará,Pop,Feminine,1985-05-05,GT,PASSPORT,P1,in,2025-03-02T08:00:00,el-carmen,no",
        *[
            f"Kevin,Tzoc,,Masculine,1991-01-01,GT,DPI,K7,in,2025-04-0{day}T08:00:00,tecun-uman,no"
            for day in range(1, 9)
        ],
    ]
    result = import_crossings(write(tmp_path, rows), actor=officer)
    assert sorted(Alert.objects.values_list("kind", flat=True)) == [
        "document_many_names",
        "frequent_crossings",
    ]
    assert result.alerts == 2
    assert PersonRecord.objects.count() == 3  # Kevin is one person, however many chunks he is in


def test_the_rules_over_an_import_find_the_same_with_the_documents_given(tmp_path, officer):
    from django.db.models import Q

    from tipims.border import indicators

    rows = [
        "Ana,López,,Feminine,1990-01-01,GT,PASSPORT,P1,in,2025-03-01T08:00:00,el-carmen,no",
        "Marta,Xicará,Pop,Feminine,1985-05-05,GT,PASSPORT,P1,in,2025-03-02T08:00:00,el-carmen,no",
        "Sofía,Paiz,,Feminine,1992-02-02,GT,DPI,S1,in,2025-04-01T08:00:00,tecun-uman,no",
    ]
    import_crossings(write(tmp_path, rows), actor=officer)
    imported = Q(created_by=officer)
    counted = indicators.evaluate_imported(imported)
    given = indicators.evaluate_imported(imported, documents={crypto.blind_index("PASSPORT", "P1")})
    assert [(pk, f.kind) for pk, f in counted] == [(pk, f.kind) for pk, f in given]
    assert [f.kind for _pk, f in counted] == ["document_many_names"]


def test_a_time_is_stored_as_django_stores_it(officer):
    from tipims.border.imports import _checker

    checker = _checker()
    fields = ["Ana", "López", "", "", "", "", "", "", "in", "", "el-carmen", ""]
    for written in ("2025-03-01T08:15:00-06:00", "2025-03-01 23:59:59.123456+05:30", "2025-06-01T10:00"):
        fields[9] = written
        row, problems = checker.check(2, fields)
        assert not problems
        moment = datetime.datetime.fromisoformat(written)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=checker.zone)
        assert row[9] == connection.ops.adapt_datetimefield_value(moment)


def test_blind_indexes_in_bulk_are_those_of_crypto():
    from tipims.border.bulk_encryption import blind_indexes

    documents = [("DPI", "2345 67890 1201"), ("PASSPORT", "gt-998877"), ("DPI", ""), ("PASSPORT", "Ñ1")]
    assert blind_indexes(documents) == [crypto.blind_index(k, n) if n else "" for k, n in documents]


def test_bulk_encryption_of_every_length_reads_back():
    values = ["x" * n for n in range(1, 50)] + ["ñandú" * 7]
    assert [crypto.decrypt(token) for token in encrypt_many(values)] == values


def test_a_traveller_known_before_a_large_import_is_found_through_the_filter(tmp_path, officer, monkeypatch):
    kevin = "Kevin,Tzoc,Pop,Masculine,1990-01-05,GT,DPI,2345 67890 1201,out,2025-03-01T08:15:00-06:00,el-carmen,no"
    import_crossings(write(tmp_path, [kevin], name="first.csv"), actor=officer)
    monkeypatch.setattr(imports, "CHUNK", 2)
    monkeypatch.setattr(imports, "FILTER_AT", 2)
    filters = []
    real = imports._Loader._filter_documents

    def spy(loader, cursor):
        real(loader, cursor)
        filters.append(loader.documents)

    monkeypatch.setattr(imports._Loader, "_filter_documents", spy)
    later = [kevin.replace("2025-03-01", f"2025-03-{day:02}") for day in range(2, 7)]
    assert import_crossings(write(tmp_path, ROWS[:4] + later), actor=officer).loaded == 9
    if connection.vendor == "sqlite":
        assert filters[-1] is not None  # the look-ups went through the filter
    assert PersonRecord.objects.count() == 1 + 4
    assert (
        Crossing.objects.filter(document_index=crypto.blind_index("DPI", "2345678901201"))
        .values("person")
        .distinct()
        .count()
        == 1
    )
