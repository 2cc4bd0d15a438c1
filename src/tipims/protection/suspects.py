"""Is a person record a suspect or defendant? Asked before a victim is returned to a family member.

Protection answers from its own ``SuspectMarker`` rows. Other apps add their own knowledge without
protection importing them: justice, for instance, registers from its ``AppConfig.ready``::

    from tipims.protection import suspects
    suspects.register_checker(lambda person: Defendant.objects.filter(person=person).exists())

A checker receives a ``PersonRecord`` and returns True when that person is a suspect or defendant.
(Linkage can widen this later to every record of the same resolved person.)
"""

from __future__ import annotations

from collections.abc import Callable

from tipims.people.models import PersonRecord

Checker = Callable[[PersonRecord], bool]

_checkers: list[Checker] = []


def register_checker(checker: Checker) -> None:
    if checker not in _checkers:
        _checkers.append(checker)


def _marked(person: PersonRecord) -> bool:
    from tipims.protection.models import SuspectMarker

    return SuspectMarker.objects.filter(person=person).exists()


def is_suspect(person: PersonRecord) -> bool:
    return _marked(person) or any(checker(person) for checker in _checkers)
