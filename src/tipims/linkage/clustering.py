"""Grouping scored pairs into persons without chaining contradictions together.

Plain connected components at a threshold chain records: A~B and B~C put A and C together even when
A and C carry two different document numbers. Here links are added by falling score and a link is
refused when the two groups it would join contradict each other: they hold document numbers more than
one typing error apart, dates of birth that cannot be one person's (``dates_compatible``), or a
human judged a record of one not the same person as a record of the other. This is greedy
single-linkage clustering with cannot-link constraints.

The two records of the link itself are exempt from the document and date checks: their disagreement
is already in their score (a wrong date of birth costs a pair most of its weight), and a pair that
scores above the threshold despite it is a register's data-entry error, not a contradiction. What the
checks stop is chaining: A and C joined through B although A and C disagree.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from rapidfuzz.distance import DamerauLevenshtein


def documents_compatible(a: str, b: str) -> bool:
    """One person's document number, perhaps mistyped once (a real register's commonest error)."""
    return a == b or DamerauLevenshtein.distance(a, b) <= 1


def dates_compatible(a: str, b: str) -> bool:
    """Two dates of birth could be one person's: full ISO dates equal, with day and month swapped, or
    one typo apart; where one side is only a year (an estimated age), years at most two apart, as the
    model's own levels say."""
    if len(a) == 4 or len(b) == 4:
        return abs(int(a[:4]) - int(b[:4])) <= 2
    if a == b or DamerauLevenshtein.distance(a, b) <= 1:
        return True
    return a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]


class ConstrainedGroups:
    def __init__(
        self,
        *,
        documents: Mapping[Hashable, str | None] | None = None,
        dates_of_birth: Mapping[Hashable, str | None] | None = None,
        apart: Mapping[Hashable, set] | None = None,
    ) -> None:
        self._parent: dict = {}
        self._members: dict = {}
        self._document: dict = {}
        self._dates: dict = {}
        self._documents = documents or {}
        self._dates_of_birth = dates_of_birth or {}
        self._apart = apart or {}

    def add(self, node: Hashable) -> None:
        if node not in self._parent:
            self._parent[node] = node
            self._members[node] = [node]
            document = self._documents.get(node)
            self._document[node] = {document} if document else set()
            date = self._dates_of_birth.get(node)
            self._dates[node] = {date} if date else set()

    def root(self, node: Hashable) -> Hashable:
        self.add(node)
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Join the groups of a and b unless they contradict each other; True when joined."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if not self._compatible(ra, rb) and not self._compatible_but_for(a, b, ra, rb):
            return False
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        if self._apart and any(
            self.root(other) == ra for node in self._members[rb] for other in self._apart.get(node, ())
        ):
            return False
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))
        self._document[ra] |= self._document.pop(rb)
        self._dates[ra] |= self._dates.pop(rb)
        return True

    def _compatible(self, ra: Hashable, rb: Hashable) -> bool:
        """Every document and date of one group agrees with every one of the other (the common case,
        checked on the groups' distinct values)."""
        return all(
            documents_compatible(x, y) for x in self._document[ra] for y in self._document[rb]
        ) and all(dates_compatible(x, y) for x in self._dates[ra] for y in self._dates[rb])

    def _compatible_but_for(self, a: Hashable, b: Hashable, ra: Hashable, rb: Hashable) -> bool:
        """The same check record by record, leaving out the linked pair (a, b) itself."""
        for x in self._members[ra]:
            for y in self._members[rb]:
                if {x, y} == {a, b}:
                    continue
                dx, dy = self._documents.get(x), self._documents.get(y)
                if dx and dy and not documents_compatible(dx, dy):
                    return False
                bx, by = self._dates_of_birth.get(x), self._dates_of_birth.get(y)
                if bx and by and not dates_compatible(bx, by):
                    return False
        return True

    def groups(self) -> list[list]:
        return list(self._members.values())


def cluster(
    nodes: Iterable[Hashable],
    scored_pairs: Iterable[tuple[float, Hashable, Hashable]],
    *,
    threshold: float,
    documents: Mapping[Hashable, str | None] | None = None,
    dates_of_birth: Mapping[Hashable, str | None] | None = None,
    apart: Mapping[Hashable, set] | None = None,
    first: Iterable[tuple[Hashable, Hashable]] = (),
) -> dict:
    """node -> group id (the smallest node of its group, as a string). ``first`` are links made before
    any scored pair (human "same" decisions); scored pairs under ``threshold`` are ignored."""
    state = ConstrainedGroups(documents=documents, dates_of_birth=dates_of_birth, apart=apart)
    for node in nodes:
        state.add(node)
    for a, b in first:
        state.union(a, b)
    for score, a, b in sorted(scored_pairs, key=lambda item: item[0], reverse=True):
        if score < threshold:
            break
        state.union(a, b)
    assignment = {}
    for members in state.groups():
        label = str(min(members, key=str))
        for node in members:
            assignment[node] = label
    return assignment
