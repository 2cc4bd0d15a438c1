"""Writes to institutions, users and memberships. Each is typed, keyword-only, takes the actor,
validates, writes and records its audit event in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import Institution, Membership, User
from tipims.accounts.roles import Role
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries, vocabularies
from tipims.core.writes import apply_changes, field_error, validate

INSTITUTION_FIELDS = ("name", "short_name", "org_type", "country", "is_active")
USER_FIELDS = ("first_name", "last_name", "email", "is_active", "institution")


def _check_institution(institution: Institution) -> None:
    if institution.org_type not in vocabularies.codes("org_Type"):
        raise field_error("org_type", _("Choose an organisation type from the list."))
    if not countries.is_country(institution.country):
        raise field_error("country", _("Use a two-letter ISO 3166 country code."))
    validate(institution)


@transaction.atomic
def institution_create(
    *, actor: User | None, code: str, name: str, short_name: str, org_type: str, country: str = "GT"
) -> Institution:
    institution = Institution(code=code, name=name, short_name=short_name, org_type=org_type, country=country)
    _check_institution(institution)
    institution.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=institution, fields=["code", *INSTITUTION_FIELDS]
    )
    return institution


@transaction.atomic
def institution_update(*, actor: User | None, institution: Institution, **changes) -> Institution:
    changed = apply_changes(institution, changes, INSTITUTION_FIELDS)
    if changed:
        _check_institution(institution)
        institution.save(update_fields=changed)
        audit_record(actor=actor, action=AuditAction.CHANGE, target=institution, fields=changed)
    return institution


def _check_roles(roles: Iterable[str]) -> set[Role]:
    try:
        return {Role(role) for role in roles}
    except ValueError:
        raise field_error("roles", _("Choose roles from the list.")) from None


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    institution: Institution,
    roles: Iterable[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    chosen = _check_roles(roles)
    user = User(
        username=username, institution=institution, first_name=first_name, last_name=last_name, email=email
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    validate(user, exclude=["password"])
    # Django admin rights follow the administrator role (see accounts/admin.py), never a separate flag.
    user.is_staff = Role.ADMIN in chosen
    user.save()
    Membership.objects.bulk_create([Membership(user=user, role=role) for role in sorted(chosen)])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=user,
        fields=["username", *USER_FIELDS, "roles", *(["password"] if password else [])],
    )
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **changes) -> User:
    changed = apply_changes(user, changes, USER_FIELDS)
    if changed:
        validate(user, exclude=["password"])
        user.save(update_fields=changed)
        audit_record(actor=actor, action=AuditAction.CHANGE, target=user, fields=changed)
    return user


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> User:
    chosen = _check_roles(roles)
    current = {Role(role) for role in user.memberships.values_list("role", flat=True)}
    if chosen == current:
        return user
    user.memberships.filter(role__in=current - chosen).delete()
    Membership.objects.bulk_create([Membership(user=user, role=role) for role in sorted(chosen - current)])
    user.is_staff = Role.ADMIN in chosen
    user.save(update_fields=["is_staff"])
    policy.forget(user)
    audit_record(actor=actor, action=AuditAction.CHANGE, target=user, fields=["roles"])
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=user, fields=["password"])
    return user
