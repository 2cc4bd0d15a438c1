"""`tipims stats justice`: the prosecution figures of the annual report for a period.

Definitions (every date inclusive):
- complaints: complaints received in the period;
- cases_opened: criminal cases opened in the period;
- prosecutions: cases with at least one charge filed in the period;
- convictions: defendants convicted on at least one charge by a judgment dated in the period;
- acquittals: defendants with a judgment in the period, acquitted on every charge judged in it;
- officials_prosecuted / officials_disciplined: integrity cases opened in the period whose proceeding
  is a criminal prosecution / a disciplinary proceeding;
- officials_dismissed: integrity cases whose outcome in the period was dismissal from the post;
- by_offence: charges filed in the period, by offence;
- by_exploitation: cases opened in the period, by form of exploitation (a case may count under several);
- by_department: cases opened in the period, by department of the offence;
- defendants_by_sex / defendants_by_nationality: defendants in cases opened in the period.
Aggregates only: no record leaves this module. Small cells are the statistics module's to suppress.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count

from tipims.justice.models import Charge, Complaint, CriminalCase, Defendant, IntegrityCase, Judgment

UNKNOWN = "unknown"


def _counter(rows) -> dict[str, int]:
    return dict(sorted(((key or UNKNOWN), n) for key, n in rows))


def justice_statistics(start: datetime.date, end: datetime.date) -> dict:
    period = {"range": (start, end)}
    cases = CriminalCase.objects.filter(opened_on__range=(start, end))
    charges = Charge.objects.filter(filed_on__range=(start, end))
    judgments = Judgment.objects.filter(date__range=period["range"])
    verdicts: dict[int, set[str]] = {}
    for defendant_id, verdict in judgments.values_list("charge__defendant_id", "verdict"):
        verdicts.setdefault(defendant_id, set()).add(verdict)
    integrity = IntegrityCase.objects.filter(opened_on__range=(start, end))

    exploitation: Counter = Counter()
    for types in cases.values_list("exploitation_types", flat=True):
        exploitation.update(types or [UNKNOWN])
    nationality: Counter = Counter()
    defendants = Defendant.objects.filter(case__opened_on__range=(start, end))
    for citizenships in defendants.values_list("person__citizenships", flat=True):
        nationality.update(citizenships or [UNKNOWN])

    return {
        "complaints": Complaint.objects.filter(received_on__range=(start, end)).count(),
        "cases_opened": cases.count(),
        "prosecutions": charges.values("defendant__case_id").distinct().count(),
        "convictions": sum(1 for v in verdicts.values() if "conviction" in v),
        "acquittals": sum(1 for v in verdicts.values() if v == {"acquittal"}),
        "officials_prosecuted": integrity.filter(proceeding="criminal_prosecution").count(),
        "officials_dismissed": IntegrityCase.objects.filter(
            outcome="dismissed_from_post", outcome_on__range=(start, end)
        ).count(),
        "officials_disciplined": integrity.filter(proceeding="disciplinary").count(),
        "by_offence": _counter(charges.values_list("provision__offence").annotate(n=Count("id"))),
        "by_exploitation": dict(sorted(exploitation.items())),
        "by_department": _counter(cases.values_list("department__name").annotate(n=Count("id"))),
        "defendants_by_sex": _counter(defendants.values_list("person__sex").annotate(n=Count("id"))),
        "defendants_by_nationality": dict(sorted(nationality.items())),
    }
