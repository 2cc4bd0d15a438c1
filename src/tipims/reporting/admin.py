"""Administrators keep the population figures (the denominators of SDG 16.2.2) here too; the
coordinator uses the reporting page. Saving goes through the service, so it is audited."""

from django.contrib import admin

from tipims.accounts.admin import AdministratorOnly, site
from tipims.reporting import services
from tipims.reporting.models import PopulationFigure


@admin.register(PopulationFigure, site=site)
class PopulationFigureAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("year", "area", "sex", "age_group", "value", "source", "illustrative")
    list_filter = ("year", "area", "illustrative")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.population_figure_set(
            actor=request.user,
            year=data["year"],
            value=data["value"],
            source=data["source"],
            area=data.get("area") or "national",
            sex=data.get("sex") or "",
            age_group=data.get("age_group") or "",
            illustrative=data.get("illustrative", False),
        )
        obj.pk = saved.pk
