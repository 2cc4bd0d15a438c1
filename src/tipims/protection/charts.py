"""Bar charts for the protection dashboard, drawn on the server as SVG.

The content security policy forbids inline scripts and ``style=`` attributes, so charts are plain SVG
elements whose geometry is computed here; colours come from the stylesheet (``.chart rect``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tipims.core import countries, vocabularies

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 260
BAR_WIDTH = 320


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    value_x: int = LABEL_WIDTH + BAR_WIDTH + 8
    total_width: int = LABEL_WIDTH + BAR_WIDTH + 70


def bar_chart(
    key: str, title: str, data: Mapping[str, int | float], label: Callable[[str], str], limit: int = 12
) -> Chart:
    items = sorted(data.items(), key=lambda kv: -kv[1])[:limit]
    top = max((value for _, value in items), default=0) or 1
    bars = []
    for index, (code, value) in enumerate(items):
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            Bar(
                label=label(code),
                value=value,
                y=y,
                width=max(1, round(BAR_WIDTH * value / top)) if value else 0,
                text_y=y + BAR_HEIGHT - 4,
            )
        )
    return Chart(key=key, title=str(title), bars=bars, height=max(1, len(bars)) * (BAR_HEIGHT + GAP))


def _vocab(name: str) -> Callable[[str], str]:
    return lambda code: vocabularies.label(name, code) if code != "unknown" else str(_("unknown"))


def _country(code: str) -> str:
    return countries.name(code) if code and code != "unknown" else str(_("unknown"))


def dashboard_charts(figures: Mapping) -> list[Chart]:
    same = str
    return [
        bar_chart(
            "sex", _("Victims identified by sex"), figures["victims_identified_by_sex"], _vocab("prs_Gender")
        ),
        bar_chart(
            "age",
            _("Victims identified by age group"),
            figures["victims_identified_by_age_group"],
            _vocab("victim_age_group"),
        ),
        bar_chart(
            "nationality",
            _("Victims identified by nationality"),
            figures["victims_identified_by_nationality"],
            _country,
        ),
        bar_chart(
            "exploitation",
            _("Victims identified by form of exploitation"),
            figures["victims_identified_by_exploitation"],
            _vocab("vic_TypeOfExploitation"),
        ),
        bar_chart(
            "institution",
            _("Victims identified by institution"),
            figures["victims_identified_by_institution"],
            same,
        ),
        bar_chart(
            "services",
            _("Services delivered by type"),
            figures["services_delivered_by_type"],
            _vocab("service_type"),
        ),
        bar_chart("occupancy", _("Occupancy by shelter"), figures["occupancy_by_shelter"], same, limit=20),
        bar_chart(
            "referrals", _("Referrals by status"), figures["referrals_by_status"], _vocab("referral_status")
        ),
    ]
