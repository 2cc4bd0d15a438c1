from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.people.models import PersonRecord
from tipims.statistics import mse
from tipims.statistics.forms import EstimateForm
from tipims.statistics.overlaps import capture_table, victim_records
from tipims.web.charts import bar_chart


@login_required
def estimate(request):
    """The hidden number: overlap table of institutions, the estimate, its intervals and a chart."""
    if not policy.has_capability(request.user, Capability.VIEW_STATISTICS):
        raise Http404
    form = EstimateForm(request.GET or None)
    context = {"section": "statistics", "form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "statistics/estimate.html", context)
    data = form.cleaned_data if form.is_bound else {"method": "bic"}
    persons = data.get("population") == EstimateForm.PERSONS
    records = PersonRecord.objects.all() if persons else victim_records()
    if data.get("since"):
        records = records.filter(created_at__date__gte=data["since"])
    if data.get("until"):
        records = records.filter(created_at__date__lte=data["until"])
    try:
        table = capture_table(records)
        result = mse.estimate(table, data.get("method") or "bic", resamples=200)
    except mse.EstimationError as error:
        context["error"] = str(error)
        return render(request, "statistics/estimate.html", context)
    rows = [
        ("".join(str(int(flag)) for flag in pattern), [bool(flag) for flag in pattern], int(count))
        for pattern, count in zip(table.patterns, table.counts, strict=True)
    ]
    bars = [("observed", result.observed), ("estimate", round(result.total))]
    if result.interval:
        bars += [("lower", round(result.interval[0])), ("upper", round(result.interval[1]))]
    context.update(result=result, lists=table.lists, rows=rows, chart=bar_chart(bars))
    return render(request, "statistics/estimate.html", context)
