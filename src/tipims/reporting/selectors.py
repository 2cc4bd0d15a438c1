"""Reads of the reporting app, already decided by the policy's capabilities: a build is its
requester's alone, and only while the requester may still see that version of the report."""

from __future__ import annotations

from django.http import Http404

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.reporting.models import PopulationFigure, ReportBuild, ReportNarrative
from tipims.reporting.services import may_build


def may_use_reports(user) -> bool:
    return policy.has_capability(user, Capability.VIEW_STATISTICS)


def builds_for_user(user, limit: int = 20) -> list[ReportBuild]:
    if not may_use_reports(user):
        return []
    builds = ReportBuild.objects.filter(requested_by=user).defer("content", "article", "tables")
    return [b for b in builds[:limit] if may_build(user, public=b.public)]


def build_for_user(user, pk: int, *, with_content: bool = False) -> ReportBuild:
    """The user's own build, or Http404 (missing and not yours look the same)."""
    builds = ReportBuild.objects.filter(requested_by=user)
    if not with_content:
        builds = builds.defer("content")
    build = builds.filter(pk=pk).first()
    if build is None or not may_build(user, public=build.public):
        raise Http404
    return build


def narrative_for(start, end, section: str) -> ReportNarrative | None:
    return ReportNarrative.objects.filter(start=start, end=end, section=section).first()


def population_figures() -> list[PopulationFigure]:
    return list(PopulationFigure.objects.all())
