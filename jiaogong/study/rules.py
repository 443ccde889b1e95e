"""读书活动 rules with no I/O: the year-end ranking of readers and how many 先进个人 there may be."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# 读书活动先进个人: at most this share of the members who logged a book that year (rounded down,
# at least one when anyone read): the national default of the parameter study.reading_award_share,
# which the services read for the org.
READING_AWARD_SHARE = Decimal("0.10")


@dataclass(frozen=True)
class Book:
    member_id: int
    finished_on: datetime.date
    reflection_chars: int


@dataclass(frozen=True)
class Candidate:
    member_id: int
    rank: int  # 1 for the first; readers with equal figures share a rank ("1, 2, 2, 4")
    books: int
    reflection_chars: int
    reached_on: datetime.date  # the day they finished their last book of the year


def rank_readers(books: Iterable[Book]) -> list[Candidate]:
    """The readers of the year, best first: more books; then longer 心得 in all (what they wrote
    about what they read); then who got there first (finished their last book earlier). Equal on all
    three share a rank; the order among them is by member id only to be stable."""
    per: dict[int, list[Book]] = {}
    for book in books:
        per.setdefault(book.member_id, []).append(book)
    rows = [
        (mid, len(bs), sum(b.reflection_chars for b in bs), max(b.finished_on for b in bs))
        for mid, bs in per.items()
    ]
    rows.sort(key=lambda r: (-r[1], -r[2], r[3], r[0]))
    out: list[Candidate] = []
    for i, (mid, n, chars, reached) in enumerate(rows):
        previous = out[-1] if out else None
        same = previous is not None and (previous.books, previous.reflection_chars, previous.reached_on) == (
            n,
            chars,
            reached,
        )
        out.append(Candidate(mid, previous.rank if same else i + 1, n, chars, reached))
    return out


def award_cap(readers: int, share: Decimal = READING_AWARD_SHARE) -> int:
    """How many 先进个人 at most: the share of the readers, rounded down, at least one if anyone read."""
    if readers <= 0:
        return 0
    return max(1, math.floor(Decimal(readers) * share))


def propose(ranking: list[Candidate], cap: int) -> list[int]:
    """The candidates the ranking proposes: from the top, whole groups of equal rank while they fit
    within the cap — a tie across the last place is left to the chair, never broken here."""
    chosen: list[int] = []
    i = 0
    while i < len(ranking):
        group = [c for c in ranking[i:] if c.rank == ranking[i].rank]
        if len(chosen) + len(group) > cap:
            break
        chosen += [c.member_id for c in group]
        i += len(group)
    return chosen
