"""The pure rules of a competition (no I/O): the draw into divisions, the standings of a round,
the final ranking over the rounds, and who gets which prize within the prize rule.

Entries are plain keys (the models pass entry ids). Places follow the usual sports ranking:
entries that cannot be told apart share a place and the next place is skipped (1, 2, 2, 4).
"""

import random
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Key = Hashable


# ---- the draw ------------------------------------------------------------------------------------


def draw_divisions(
    entries: Sequence[Key], groups: int, seed: int, seeds: dict | None = None
) -> list[list[Key]]:
    """ "分四组": deal `entries` into `groups` divisions whose sizes differ by at most one.

    Seeded entries (种子选手, `seeds`: entry -> seed number, 1 the strongest) are dealt first, in
    snake order (1→A, 2→B, …, then back), so that the strongest meet only late; the others are
    shuffled by a random generator started from `seed` (kept with the competition, so the draw can
    be shown and repeated) and each goes to the smallest division so far. Same input, same draw.
    """
    if groups < 1:
        raise ValueError("分组数至少为 1。")
    seeds = seeds or {}
    out: list[list[Key]] = [[] for _ in range(groups)]
    seeded = sorted((k for k in entries if seeds.get(k) is not None), key=lambda k: (seeds[k], str(k)))
    for i, key in enumerate(seeded):
        lap, pos = divmod(i, groups)
        out[pos if lap % 2 == 0 else groups - 1 - pos].append(key)
    rest = [k for k in entries if seeds.get(k) is None]
    rng = random.Random(seed)
    rng.shuffle(rest)
    for key in rest:
        smallest = min(range(groups), key=lambda g: (len(out[g]), g))
        out[smallest].append(key)
    return out


def round_robin_pairs(entries: Sequence[Key]) -> list[tuple[Key, Key]]:
    """Every pair once (单循环), in rounds by the circle method so nobody plays twice in a row
    more than needed: n entries give n(n-1)/2 matches."""
    players = list(entries)
    if len(players) % 2:
        players.append(None)
    n = len(players)
    pairs = []
    for _ in range(n - 1):
        for i in range(n // 2):
            a, b = players[i], players[n - 1 - i]
            if a is not None and b is not None:
                pairs.append((a, b))
        players = [players[0], players[-1], *players[1:-1]]
    return pairs


# ---- places --------------------------------------------------------------------------------------


def shared_places(ordered: Sequence[Key], sort_key) -> list[tuple[Key, int]]:
    """Places for entries already in order: equal `sort_key` shares a place, the next is skipped."""
    out = []
    previous = object()
    place = 0
    for i, key in enumerate(ordered):
        value = sort_key(key)
        if value != previous:
            place = i + 1
            previous = value
        out.append((key, place))
    return out


def rank_scores(scores: dict, *, higher_is_better: bool) -> list[tuple[Key, int, Decimal]]:
    """A scored round (成绩, or 名次 typed by the judges with lower better): (entry, place, value),
    best first; equal values share a place."""
    ordered = sorted(scores, key=lambda k: (-scores[k] if higher_is_better else scores[k], str(k)))
    return [(k, place, scores[k]) for k, place in shared_places(ordered, lambda k: scores[k])]


@dataclass(frozen=True)
class Points:
    """Round-robin points per match (积分): by default 胜 2、平 1、负 0, as 气排球 and 羽毛球 tables often count."""

    win: int = 2
    draw: int = 1
    loss: int = 0


@dataclass(frozen=True)
class Match:
    home: Key
    away: Key
    home_score: Decimal
    away_score: Decimal


@dataclass
class Row:
    entry: Key
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    points: int = 0
    score_for: Decimal = Decimal(0)
    score_against: Decimal = Decimal(0)
    place: int = 0

    @property
    def diff(self) -> Decimal:
        return self.score_for - self.score_against


def round_robin_table(
    entries: Iterable[Key], matches: Iterable[Match], points: Points = Points()
) -> list[Row]:
    """The table of a round-robin division (循环赛积分表): points, then 净胜分 (score difference),
    then 总得分; entries equal on all three share a place. Unplayed matches are not passed in;
    an entry with no match played yet is listed last with place 0 (not ranked)."""
    rows = {k: Row(k) for k in entries}
    for m in matches:
        for me, mine, theirs in ((m.home, m.home_score, m.away_score), (m.away, m.away_score, m.home_score)):
            row = rows.setdefault(me, Row(me))
            row.played += 1
            row.score_for += mine
            row.score_against += theirs
            if mine > theirs:
                row.won += 1
                row.points += points.win
            elif mine == theirs:
                row.drawn += 1
                row.points += points.draw
            else:
                row.lost += 1
                row.points += points.loss

    def key(r: Row):
        return (r.points, r.diff, r.score_for)

    played = sorted(
        (r for r in rows.values() if r.played), key=lambda r: (*(-v for v in key(r)), str(r.entry))
    )
    for r, place in shared_places(played, key):
        r.place = place
    unplayed = sorted((r for r in rows.values() if not r.played), key=lambda r: str(r.entry))
    return played + unplayed


def knockout_places(matches: Iterable[Match]) -> list[tuple[Key, int]]:
    """A knock-out round (淘汰赛: 半决赛, 决赛): the winners of the round share the first place,
    the losers the next; a knock-out match must have a winner (checked when it is recorded)."""
    wins: dict = defaultdict(int)
    for m in matches:
        wins[m.home] += 0
        wins[m.away] += 0
        wins[m.home if m.home_score > m.away_score else m.away] += 1
    ordered = sorted(wins, key=lambda k: (-wins[k], str(k)))
    return shared_places(ordered, lambda k: wins[k])


def cross_pairs(by_place: Sequence[Sequence[Key]]) -> list[tuple[Key, Key]]:
    """The first knock-out round from a group stage. `by_place[p][g]` is the qualifier placed p+1 in
    group g. Group winners alone: the first meets the last (with four groups A1–D1, B1–C1). Winners
    and runners-up: each winner meets the next group's runner-up (A1–B2, B1–C2, …, the last group's
    winner the first group's runner-up), so nobody meets their own group again. More places: the
    list winners first, first against last. An odd number cannot be paired."""
    flat = [k for place in by_place for k in place]
    if not flat or len(flat) % 2:
        raise ValueError("晋级者须为偶数")
    if len(by_place) == 2 and len(by_place[0]) == len(by_place[1]) >= 2:
        winners, runners = by_place
        return [(w, runners[(i + 1) % len(runners)]) for i, w in enumerate(winners)]
    n = len(flat)
    return [(flat[i], flat[n - 1 - i]) for i in range(n // 2)]


def winners_pairs(winners: Sequence[Key]) -> list[tuple[Key, Key]]:
    """The next knock-out round: the winners of consecutive matches meet (1 v 2, 3 v 4 …)."""
    if len(winners) % 2 or not winners:
        raise ValueError("晋级者须为偶数")
    return [(winners[i], winners[i + 1]) for i in range(0, len(winners), 2)]


def final_standings(stages: Sequence[Sequence[tuple[Key, int]]]) -> list[tuple[Key, int]]:
    """The competition's ranking from its rounds in order (小组赛, 半决赛, 决赛): an entry that got
    further is ahead of one that went out earlier; among those whose last round is the same, the
    place in that round decides (group winners of different groups are equal there). Entries
    equal on that share a place. An entry in no round with results is not ranked."""
    seen: set = set()
    out: list[tuple[Key, int]] = []
    for stage in reversed(stages):
        fresh = sorted(
            ((k, p) for k, p in stage if k not in seen and p > 0), key=lambda kp: (kp[1], str(kp[0]))
        )
        start = len(out)
        for (key, _p), place in shared_places(fresh, lambda kp: kp[1]):
            out.append((key, start + place))
        seen.update(k for k, _p in fresh)
    return out


# ---- prizes --------------------------------------------------------------------------------------


def prize_limit(participants: int, share: Fraction) -> int:
    """The prize rule (RULES.md "sports prizes", 总工办发〔2017〕32号): prizes for at most `share`
    (national 2/3) of the participants — rounded down, since the limit is "not more than"."""
    share = Fraction(share)
    if participants <= 0 or share <= 0:
        return 0
    return (participants * share.numerator) // share.denominator


@dataclass
class Allocation:
    awards: list[tuple[Key, int, int]] = field(default_factory=list)  # (entry, tier index, place)
    notes: list[str] = field(default_factory=list)
    winners: int = 0  # people (a team counts its members)


def allocate_prizes(
    standings: Sequence[tuple[Key, int]],
    counts: Sequence[int],
    *,
    max_winners: int,
    sizes: dict | None = None,
) -> Allocation:
    """Give the prize tiers (一等奖 `counts[0]`, 二等奖 `counts[1]`, …) down the ranking.

    Entries sharing a place get the same prize (a tie is never split): a tie that starts inside
    a tier takes that tier even when it runs past the tier's count, and the next tier starts
    after it. The prize rule is absolute: when giving a tie its prize would make more than
    `max_winners` people winners, none of the tie is awarded and a note says so (a play-off
    decides). `sizes` gives the number of people of an entry (a team), 1 by default.
    """
    sizes = sizes or {}
    total = sum(counts)
    bounds = []
    running = 0
    for c in counts:
        running += c
        bounds.append(running)
    result = Allocation()
    groups: dict[int, list] = defaultdict(list)
    for key, place in standings:
        groups[place].append(key)
    position = 0
    for place in sorted(groups):
        tie = groups[place]
        if position >= total:
            break
        tier = next(i for i, b in enumerate(bounds) if b > position)
        people = sum(sizes.get(k, 1) for k in tie)
        if result.winners + people > max_winners:
            result.notes.append(
                f"并列第 {place} 名共 {len(tie)} 个，若都获奖将超过获奖人数上限 {max_winners} 人，未授奖；可加赛决出名次。"
            )
            break
        if position + len(tie) > total:
            result.notes.append(
                f"并列第 {place} 名共 {len(tie)} 个，同获该奖项，奖项总数比设置多 {position + len(tie) - total} 个。"
            )
        for key in tie:
            result.awards.append((key, tier, place))
        result.winners += people
        position += len(tie)
    return result
