from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.core.writes import messages_by_field
from tipims.linkage import selectors, services
from tipims.linkage.forms import DecisionForm
from tipims.people.models import PersonRecord


@login_required
def review_queue(request):
    if not policy.has_capability(request.user, Capability.REVIEW_LINKAGE):
        raise Http404
    queue = selectors.review_queue_for_user(request.user)
    return render(
        request,
        "linkage/queue.html",
        {
            "section": "linkage",
            "queue": queue[:100],
            "waiting": len(queue),
            "records": PersonRecord.objects.count(),
            "persons": selectors.unique_persons(PersonRecord.objects.all()),
        },
    )


@login_required
def review_pair(request, pk: int):
    pair = selectors.pair_for_user(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        records = PersonRecord.objects.in_bulk([pair.judgement.record_a_id, pair.judgement.record_b_id])
        try:
            services.judgement_record(
                actor=request.user,
                record_a=records[pair.judgement.record_a_id],
                record_b=records[pair.judgement.record_b_id],
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in (
                messages_by_field(error).values() if isinstance(error, ValidationError) else [[str(error)]]
            ):
                for text in message:
                    form.add_error(None, text)
        else:
            messages.success(request, _("Decision recorded; the counts are updated."))
            return redirect("linkage:queue")
    return render(request, "linkage/pair.html", {"section": "linkage", "pair": pair, "form": form})
