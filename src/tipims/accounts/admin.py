"""The administrator's pages: institutions, users and their roles, and login lockouts.

Only the administrator role opens them (the policy's ADMINISTER capability), and every save goes
through accounts.services so that it is validated and audited like any other write. No case data is
registered here: administrators see none.
"""

from allauth.account.decorators import secure_admin_login
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy, services
from tipims.accounts.models import Institution, User
from tipims.accounts.roles import Role
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries


class TipimsAdminSite(admin.AdminSite):
    site_header = _("TIPIMS administration")
    site_title = _("TIPIMS administration")
    index_title = _("Institutions and users")

    def has_permission(self, request) -> bool:
        return policy.has_capability(request.user, policy.Capability.ADMINISTER)


site = TipimsAdminSite(name="admin")
# Sign-in goes through allauth (and so through MFA and axes), never the admin's own password form.
site.login = secure_admin_login(site.login)


class AdministratorOnly:
    def has_module_permission(self, request):
        return site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_add_permission(self, request):
        return site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: records keep pointing at their institution and author


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ("code", "name", "short_name", "org_type", "country", "is_active")

    def clean_country(self):
        country = self.cleaned_data["country"].upper()
        if not countries.is_country(country):
            raise forms.ValidationError(_("Use a two-letter ISO 3166 country code."))
        return country


@admin.register(Institution, site=site)
class InstitutionAdmin(AdministratorOnly, admin.ModelAdmin):
    form = InstitutionForm
    list_display = ("name", "short_name", "code", "org_type", "country", "is_active")
    list_filter = ("org_type", "is_active")
    search_fields = ("name", "short_name", "code")
    fields = ("code", "name", "short_name", "org_type", "country", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name in services.INSTITUTION_FIELDS
        }
        if change:
            services.institution_update(
                actor=request.user, institution=Institution.objects.get(pk=obj.pk), **data
            )
        else:
            created = services.institution_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                short_name=form.cleaned_data["short_name"],
                org_type=form.cleaned_data["org_type"],
                country=form.cleaned_data["country"],
            )
            obj.pk = created.pk


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    new_password = forms.CharField(
        label=_("New password"),
        required=False,
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "institution", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].required = True
        self.fields["institution"].queryset = Institution.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.memberships.values_list("role", flat=True))

    def clean_new_password(self):
        password = self.cleaned_data.get("new_password")
        if password:
            validate_password(password, self.instance)
        return password


@admin.register(User, site=site)
class UserAdmin(AdministratorOnly, admin.ModelAdmin):
    form = UserForm
    list_display = (
        "username",
        "first_name",
        "last_name",
        "institution",
        "role_list",
        "is_active",
        "last_login",
    )
    list_filter = ("institution", "memberships__role", "is_active")
    search_fields = ("username", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description=_("Roles"))
    def role_list(self, obj):
        return ", ".join(str(Role(m.role).label) for m in obj.memberships.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution").prefetch_related("memberships")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            user = User.objects.get(pk=obj.pk)
            changes = {name: data[name] for name in form.changed_data if name in services.USER_FIELDS}
            services.user_update(actor=request.user, user=user, **changes)
            services.user_set_roles(actor=request.user, user=user, roles=data["roles"])
            if data.get("new_password"):
                services.user_set_password(actor=request.user, user=user, password=data["new_password"])
        else:
            created = services.user_create(
                actor=request.user,
                username=data["username"],
                institution=data["institution"],
                roles=data["roles"],
                password=data.get("new_password") or None,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        """Roles were saved by the service; the form has no other relation to save."""


@admin.register(AccessAttempt, site=site)
class LockoutAdmin(AdministratorOnly, admin.ModelAdmin):
    """Failed sign-ins by user and address; deleting a row lifts that lockout."""

    list_display = ("username", "ip_address", "failures_since_start", "attempt_time")
    readonly_fields = [f.name for f in AccessAttempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return site.has_permission(request)

    @transaction.atomic
    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=AuditAction.DELETE, target=obj, fields=["lockout"])
        obj.delete()

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            self.delete_model(request, attempt)
