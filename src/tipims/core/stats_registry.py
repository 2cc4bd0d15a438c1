"""Modules register the function behind `tipims stats <module>` here, from their AppConfig.ready().

A statistics function takes the period (inclusive dates) and returns a mapping of figure names to
either a number or a breakdown (a mapping of category to number).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

Figures = Mapping[str, "int | float | Mapping[str, int | float] | None"]
StatsFunction = Callable[[datetime.date, datetime.date], Figures]

_registry: dict[str, StatsFunction] = {}


def register(module: str, function: StatsFunction) -> None:
    _registry[module] = function


def modules() -> list[str]:
    return sorted(_registry)


def compute(module: str, start: datetime.date, end: datetime.date) -> Figures:
    return _registry[module](start, end)


def as_rows(figures: Figures) -> list[tuple[str, str, object]]:
    """Flatten for CSV: (figure, category, value); a plain figure has an empty category."""
    rows: list[tuple[str, str, object]] = []
    for name, value in figures.items():
        if isinstance(value, Mapping):
            rows.extend((name, str(category), count) for category, count in value.items())
        else:
            rows.append((name, "", value))
    return rows
