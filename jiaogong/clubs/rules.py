"""兴趣小组 rules with no I/O: the leader election's count and what is left of a budget."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Tally:
    """Votes per candidate, most first (ties in the order given by `order`), and the top group:
    one id when someone has the most votes, several when they are tied, none without votes."""

    counts: list[tuple[int, int]]
    leaders: list[int]

    @property
    def winner(self) -> int | None:
        return self.leaders[0] if len(self.leaders) == 1 else None

    @property
    def tied(self) -> bool:
        return len(self.leaders) > 1


def tally(candidate_ids: Iterable[int], order: Iterable[int] = ()) -> Tally:
    """Count one vote per entry of `candidate_ids` (the candidate each voter chose). The most votes
    wins; equal most votes is a tie, never broken by chance or by name (the members vote again)."""
    counter = Counter(candidate_ids)
    rank = {cid: i for i, cid in enumerate(order)}
    counts = sorted(counter.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0]))
    if not counts:
        return Tally(counts=[], leaders=[])
    top = counts[0][1]
    return Tally(counts=counts, leaders=[cid for cid, n in counts if n == top])


def budget_left(approved: Decimal | None, spent: Iterable[Decimal]) -> Decimal:
    """What is left of an approved budget after its spending (an unapproved budget has nothing)."""
    total = sum(spent, ZERO)
    return (approved or ZERO) - total


def fits_budget(*, approved: Decimal | None, spent: Iterable[Decimal], amount: Decimal) -> bool:
    """A new spending fits when it is not more than what is left (spending the exact rest is fine)."""
    return amount <= budget_left(approved, spent)
