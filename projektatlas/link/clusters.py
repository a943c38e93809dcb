"""Organisation resolution in memory, with the same rules as the store (for batch runs and
the benchmark): exact organisation number, else the `org_key`; twins that share a key or are
one typing error apart are merged unless their numbers or kinds differ."""

from __future__ import annotations

from collections import defaultdict

from projektatlas.link.keys import near_duplicate_keys, org_key
from projektatlas.link.organisations import guess_kind


class OrgClusterer:
    """Resolve owner names (and numbers) to organisation ids; `merge()` then unifies twins."""

    def __init__(self) -> None:
        self.by_number: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.orgs_of_key: dict[str, set[int]] = defaultdict(set)
        self.number: list[str | None] = []
        self.kind: list[str | None] = []
        self.name: list[str] = []

    def resolve(self, raw: str, number: str | None = None) -> int:
        key = org_key(raw)
        oid = self.by_number.get(number) if number else None
        if oid is None:
            oid = self.by_key.get(key)
            if oid is not None and number and self.number[oid] not in (None, number):
                oid = None
            if oid is None:
                oid = len(self.number)
                self.number.append(number)
                self.kind.append(guess_kind(raw.split(",", 1)[0], number))
                self.name.append(raw)
            elif number and self.number[oid] is None:
                self.number[oid] = number
            if number:
                self.by_number[number] = oid
        self.by_key.setdefault(key, oid)
        self.orgs_of_key[key].add(oid)
        return oid

    def merge(self) -> list[int]:
        """The canonical id of every organisation after merging twins."""
        parent = list(range(len(self.number)))
        number = list(self.number)

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: int, b: int) -> None:
            a, b = find(a), find(b)
            if a == b:
                return
            if number[a] and number[b] and number[a] != number[b]:
                return
            if self.kind[a] and self.kind[b] and self.kind[a] != self.kind[b]:
                return
            keep, drop = (a, b) if number[a] or not number[b] else (b, a)
            parent[drop] = keep
            number[keep] = number[keep] or number[drop]

        for ids in self.orgs_of_key.values():
            if len(ids) > 1:
                first, *rest = sorted(ids)
                for other in rest:
                    union(first, other)
        for a, b in near_duplicate_keys(self.orgs_of_key):
            for x in self.orgs_of_key[a]:
                for y in self.orgs_of_key[b]:
                    union(x, y)
        return [find(i) for i in range(len(parent))]
