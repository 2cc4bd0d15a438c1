"""Pages to import (upload, dry-run report, confirm) and export partners' files.

An upload is checked at once in a dry run; the file waits in the var folder, named by a random token
kept in the user's session, until the user confirms or leaves. Exports that carry identities need a
recent re-authentication (a password prompt, TIPIMS_REAUTH_MINUTES) on the POST that downloads them.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from pathlib import Path

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tipims.exchange import access, services
from tipims.exchange.forms import UploadForm
from tipims.exchange.framework import ImportTooLarge, check_size

_SESSION_KEY = "exchange_uploads"


def _uploads_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "exchange-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@login_required
def index(request):
    user = request.user
    if not access.may_use_exchange(user):
        raise Http404
    return render(
        request,
        "exchange/index.html",
        {
            "import_kinds": access.import_kinds(user),
            "may_export_identities": access.may_export_identities(user),
            "may_export_public": access.may_export_public(user),
            "may_download_visit_form": access.may_download_visit_form(user),
            "may_download_screening_form": access.may_download_screening_form(user),
        },
    )


@login_required
def import_upload(request):
    kinds = access.import_kinds(request.user)
    if not kinds:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    context = {"form": form, "max_bytes": settings.TIPIMS_IMPORT_MAX_BYTES}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size)  # before reading the file into memory
        except ImportTooLarge as error:
            form.add_error("file", str(error))
            return render(request, "exchange/import.html", context, status=400)
        data = upload.read()
        kind, partner = form.cleaned_data["kind"], form.cleaned_data["partner"]
        report = services.import_file(
            actor=request.user, kind=kind, data=data, name=upload.name, dry_run=True, partner=partner
        )
        token = secrets.token_urlsafe(16)
        if report.ok:
            (_uploads_dir() / token).write_bytes(data)
            pending = request.session.get(_SESSION_KEY, {})
            pending[token] = {"kind": kind, "name": upload.name, "partner": partner}
            request.session[_SESSION_KEY] = pending
        context.update(report=report, token=token if report.ok else "")
        return render(request, "exchange/report.html", context, status=200 if report.ok else 400)
    return render(request, "exchange/import.html", context)


@login_required
@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    pending = request.session.get(_SESSION_KEY, {})
    upload = pending.pop(token, None) if token.replace("-", "").replace("_", "").isalnum() else None
    if upload is None or upload["kind"] not in access.import_kinds(request.user):
        raise Http404
    request.session[_SESSION_KEY] = pending
    path = _uploads_dir() / token
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Http404 from None
    try:
        report = services.import_file(
            actor=request.user,
            kind=upload["kind"],
            data=data,
            name=upload["name"],
            dry_run=False,
            partner=upload["partner"],
        )
    finally:
        path.unlink(missing_ok=True)
    return render(request, "exchange/report.html", {"report": report}, status=200 if report.ok else 400)


@reauthentication_required(allow_get=True)
def _export_htcds(request):
    if request.method == "GET":
        return render(
            request, "exchange/export_htcds.html", {"reauth_minutes": settings.TIPIMS_REAUTH_MINUTES}
        )
    from tipims.exchange import htcds

    response = HttpResponse(
        htcds.export_xlsx_bytes(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="htcds.xlsx"'
    return response


@login_required
def export_htcds(request):
    """HTCDS with identities: the page on GET; the download on POST after re-authentication."""
    if not access.may_export_identities(request.user):
        raise Http404
    return _export_htcds(request)


@reauthentication_required
def _export_pprl(request):
    from tipims.exchange import pprl

    try:
        document = pprl.encodings_document(request.user)
    except pprl.NoSecret as error:
        return render(request, "exchange/export_htcds.html", {"pprl_error": str(error)}, status=409)
    response = HttpResponse(json.dumps(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="pprl_{request.user.institution.code}.json"'
    return response


@login_required
@require_POST
def export_pprl(request):
    if not access.may_export_identities(request.user):
        raise Http404
    return _export_pprl(request)


@reauthentication_required
def _export_ftm(request):
    from tipims.exchange import ftm

    lines = [
        json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True)
        for entity in ftm.network_entities(request.user)
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ftm_{request.user.institution.code}.jsonl"'
    return response


@login_required
@require_POST
def export_ftm(request):
    """Trafficker networks as FollowTheMoney entities: identities, so after re-authentication."""
    if not access.may_export_identities(request.user):
        raise Http404
    return _export_ftm(request)


def ctdc_csv(user) -> bytes:
    from tipims.exchange import ctdc

    with tempfile.TemporaryDirectory() as folder:
        (path,) = ctdc.export_ctdc(user, Path(folder))
        return path.read_bytes()


@login_required
def export_ctdc(request):
    """The public CTDC file: k-anonymised and checked, no identity: no re-authentication needed."""
    if not access.may_export_public(request.user):
        raise Http404
    response = HttpResponse(ctdc_csv(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ctdc_victims.csv"'
    return response


@login_required
def visit_form(request):
    if not access.may_download_visit_form(request.user):
        raise Http404
    from tipims.exchange import fieldforms

    response = HttpResponse(
        fieldforms.visit_xlsform(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{fieldforms.VISIT_FORM_ID}.xlsx"'
    return response


@login_required
def screening_form(request):
    if not access.may_download_screening_form(request.user):
        raise Http404
    from tipims.exchange import fieldforms

    response = HttpResponse(
        fieldforms.screening_xlsform(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{fieldforms.SCREENING_FORM_ID}.xlsx"'
    return response


@login_required
def partner_matches(request, reference: str):
    """'The partner has a record that matches this person': for a person whose identity the user may
    see. Only the partner's name and opaque token are shown; no partner name of the person exists here."""
    from tipims.accounts import policy
    from tipims.accounts.policy import Action, FieldGroup
    from tipims.exchange import pprl
    from tipims.people.models import PersonRecord

    person = policy.get_or_404(request.user, PersonRecord.objects.all(), reference=reference)
    if not policy.can(request.user, Action.VIEW, person, FieldGroup.IDENTITY):
        raise Http404
    try:
        matches, error = pprl.partner_matches(request.user, person), ""
    except pprl.NoSecret as missing:
        matches, error = [], str(missing)
    return render(
        request, "exchange/partner_matches.html", {"person": person, "matches": matches, "error": error}
    )
