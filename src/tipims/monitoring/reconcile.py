"""Reconciliation of published aggregates: does a breakdown add up to its stated total, and if not,
what most likely went wrong? Pure functions, no database.

The cable's example: Casa Alianza's 668 minors add up by nationality, but by department they come to
676. The 9 minors reported in Antigua, Sacatepéquez, were probably counted again in the 411 of the
department of Guatemala; that leaves one minor unaccounted for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DoubleCount:
    """A part whose count was probably counted a second time inside another part."""

    part: str
    within: str
    count: int
    unexplained: int  # the difference that remains if this part is a double count (0 = fully explained)

    @property
    def still_too_many(self) -> int:
        return max(self.unexplained, 0)

    @property
    def unaccounted_for(self) -> int:
        """Removing the double count leaves the parts this many short of the total."""
        return max(-self.unexplained, 0)


@dataclass(frozen=True)
class Reconciliation:
    label: str
    stated_total: int
    breakdown_total: int
    likely_double_counts: tuple[DoubleCount, ...] = ()
    equal_to_difference: tuple[str, ...] = field(default=())

    @property
    def difference(self) -> int:
        """Breakdown minus stated total: positive means the parts count more than the whole."""
        return self.breakdown_total - self.stated_total

    @property
    def adds_up(self) -> bool:
        return self.difference == 0


def reconcile(
    label: str,
    stated_total: int,
    breakdown: Mapping[str, int],
    *,
    counted_within: Mapping[str, str] | None = None,
) -> Reconciliation:
    """Check ``breakdown`` against ``stated_total`` and name the likely double count.

    A likely double count is a part known to lie inside another counted part (``counted_within``: the
    part's place is within the other's area, as Antigua's establishments may fall within a survey of
    the department of Guatemala), whose count comes closest to the excess. Parts whose count merely
    equals the difference, with no reason to think they were counted twice, are listed apart: a
    coincidence is not an explanation.
    """
    total = sum(int(count) for count in breakdown.values())
    difference = total - stated_total
    if difference <= 0:
        return Reconciliation(label, stated_total, total)
    candidates = []
    for part, within in (counted_within or {}).items():
        count = int(breakdown.get(part, 0))
        if count and within in breakdown and int(breakdown[within]) >= count:
            unexplained = difference - count
            if abs(unexplained) < count:  # explains more than it leaves over
                candidates.append(DoubleCount(part, within, count, unexplained))
    candidates.sort(key=lambda c: (abs(c.unexplained), c.part))
    named = {c.part for c in candidates}
    equal = tuple(
        sorted(part for part, count in breakdown.items() if int(count) == difference and part not in named)
    )
    return Reconciliation(label, stated_total, total, tuple(candidates), equal)
