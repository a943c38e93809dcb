"""Fast, deterministic stand-ins for `random.Random` helpers on the hot path.

`Random.choice`/`randint`/`sample` go through `_randbelow`, which dominates the generator's
profile; these use one `random()` call each. Output stays deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def randint(rng: random.Random, a: int, b: int) -> int:
    return a + int(rng.random() * (b - a + 1))


def sample(rng: random.Random, seq: Sequence[T], k: int) -> list[T]:
    """``k`` distinct items of ``seq`` (``k`` much smaller than ``len(seq)``)."""
    n = len(seq)
    if k >= n:
        out = list(seq)
        rng.shuffle(out)
        return out
    chosen: list[int] = []
    while len(chosen) < k:
        i = int(rng.random() * n)
        if i not in chosen:
            chosen.append(i)
    return [seq[i] for i in chosen]
