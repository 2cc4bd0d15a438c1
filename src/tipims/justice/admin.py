"""Legal provisions in the administrator's pages: reforms are added as new versions with the date they
take effect (through the service, validated and audited); an existing version can only be marked
repealed or annotated, so that judgments already checked against it keep their meaning.

Only the law is registered here: administrators see no case data.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tipims.accounts.admin import AdministratorOnly, site
from tipims.justice import services
from tipims.justice.models import LegalProvision


class ReformForm(forms.ModelForm):
    code = forms.ChoiceField(label=_("Provision reformed"))

    class Meta:
        model = LegalProvision
        fields = (
            "code",
            "effective_from",
            "article",
            "min_years",
            "max_years",
            "min_fine_gtq",
            "max_fine_gtq",
            "aggravations",
            "note_es",
            "note_en",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = sorted(set(LegalProvision.objects.values_list("code", flat=True)))
        self.fields["code"].choices = [(code, code) for code in codes]
        self.fields["article"].required = False

    def clean(self):
        data = super().clean()
        if data.get("code") and data.get("effective_from"):
            try:  # the service's own checks, without saving: errors show on the form
                services.legal_provision_build_reform(
                    code=data["code"],
                    effective_from=data["effective_from"],
                    article=data.get("article") or None,
                    min_years=data.get("min_years"),
                    max_years=data.get("max_years"),
                    min_fine_gtq=data.get("min_fine_gtq"),
                    max_fine_gtq=data.get("max_fine_gtq"),
                    aggravations=data.get("aggravations"),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(LegalProvision, site=site)
class LegalProvisionAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("code", "article", "title_es", "effective_from", "repealed_on", "min_years", "max_years")
    list_filter = ("offence", "code")
    ordering = ("code", "-effective_from")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ReformForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        editable = {"repealed_on", "note_es", "note_en"}
        return [f.name for f in LegalProvision._meta.fields if f.name not in editable]

    def save_model(self, request, obj, form, change):
        if change:
            services.legal_provision_annotate(
                actor=request.user,
                provision=LegalProvision.objects.get(pk=obj.pk),
                repealed_on=form.cleaned_data.get("repealed_on"),
                note_es=form.cleaned_data.get("note_es", ""),
                note_en=form.cleaned_data.get("note_en", ""),
            )
        else:
            reform = services.legal_provision_add_reform(
                actor=request.user,
                code=form.cleaned_data["code"],
                effective_from=form.cleaned_data["effective_from"],
                article=form.cleaned_data.get("article") or None,
                min_years=form.cleaned_data.get("min_years"),
                max_years=form.cleaned_data.get("max_years"),
                min_fine_gtq=form.cleaned_data.get("min_fine_gtq"),
                max_fine_gtq=form.cleaned_data.get("max_fine_gtq"),
                aggravations=form.cleaned_data.get("aggravations"),
                note_es=form.cleaned_data.get("note_es", ""),
                note_en=form.cleaned_data.get("note_en", ""),
            )
            obj.pk = reform.pk
