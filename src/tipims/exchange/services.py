"""The imports a user starts from the web or the API: one entry point per kind of file, the same
functions the command line runs."""

from __future__ import annotations

from tipims.exchange.framework import ImportReport, check_size

KINDS = ("htcds", "submissions", "pprl", "ftm")


def import_file(
    *, actor, kind: str, data: bytes, name: str, dry_run: bool, partner: str = ""
) -> ImportReport:
    """Run the importer of ``kind`` on the bytes of one uploaded file (size checked first)."""
    check_size(len(data))
    if kind == "htcds":
        from tipims.exchange import htcds

        rows, errors = htcds.read_htcds_bytes(data, name)
        return htcds.import_htcds_rows(rows, errors, actor=actor, dry_run=dry_run)
    if kind == "submissions":
        from tipims.exchange import fieldforms

        return fieldforms.import_submissions(data, name, actor=actor, dry_run=dry_run)
    if kind == "pprl":
        from tipims.exchange import pprl

        return pprl.import_encodings(data, name, actor=actor, partner=partner or name, dry_run=dry_run)
    if kind == "ftm":
        from tipims.exchange import ftm

        return ftm.import_ftm(data, actor=actor, partner_code=partner, dry_run=dry_run)
    raise ValueError(f"unknown import kind {kind!r}")
