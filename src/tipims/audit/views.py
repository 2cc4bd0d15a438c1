from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.forms import AuditFilterForm
from tipims.audit.models import AuditEvent
from tipims.audit.selectors import audit_events_for_user


@login_required
def event_list(request):
    """The auditor's view of the trail; a full page, or just the results for htmx."""
    if not policy.has_capability(request.user, Capability.READ_AUDIT):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
        events = audit_events_for_user(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"section": "audit", "form": form, "page": page, "query": query.urlencode()}
    template = "audit/_results.html" if request.headers.get("HX-Request") else "audit/list.html"
    return render(request, template, context)
