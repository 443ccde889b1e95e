"""Reads of competitions, always scoped by org (another org's competition is a 404), and the
standings computed from the recorded results by competitions.ranking."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from jiaogong.competitions import ranking
from jiaogong.competitions.models import Award, Competition, Division, Entry, EntryMember, Match, Round, Score
from jiaogong.core.rules import value_for


def competitions_of(org) -> QuerySet[Competition]:
    return (
        Competition.objects.filter(org=org)
        .select_related("activity")
        .annotate(entry_count=Count("entries", distinct=True))
    )


def competition_for(org, competition_id) -> Competition:
    try:
        return Competition.objects.select_related("activity", "org").get(org=org, pk=int(competition_id))
    except (Competition.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该比赛。") from None


def round_for(competition: Competition, round_id) -> Round:
    try:
        return Round.objects.get(competition=competition, pk=int(round_id))
    except (Round.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该轮次。") from None


def match_for(competition: Competition, match_id) -> Match:
    try:
        return Match.objects.select_related("round", "home", "away").get(
            round__competition=competition, pk=int(match_id)
        )
    except (Match.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该场比赛。") from None


def entry_for(competition: Competition, entry_id) -> Entry:
    try:
        return Entry.objects.get(competition=competition, pk=int(entry_id))
    except (Entry.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该参赛者。") from None


def entries_of(competition: Competition) -> list[Entry]:
    people = EntryMember.objects.select_related("member__union_group")
    return list(
        Entry.objects.filter(competition=competition)
        .select_related("division")
        .prefetch_related(Prefetch("people", queryset=people))
    )


def participants(competition: Competition) -> int:
    """参赛人数: the people in the entries (a team counts its members)."""
    return EntryMember.objects.filter(competition=competition).count()


def prize_share(org):
    return value_for(org, "funds.prize_max_share")


def points_of(competition: Competition) -> ranking.Points:
    return ranking.Points(competition.points_win, competition.points_draw, competition.points_loss)


# ---- standings -----------------------------------------------------------------------------------


@dataclass
class Block:
    """The standings of a round in one division (or over all entries)."""

    division: Division | None
    rows: list  # ranking.Row for matches rounds, else dicts {entry, place, value}
    matches: list = field(default_factory=list)


@dataclass
class RoundStandings:
    round: Round
    blocks: list[Block]
    stage: list[tuple[int, int]]  # (entry id, place in the round) for the final ranking

    @property
    def has_results(self) -> bool:
        return bool(self.stage)


def _played(matches) -> list[ranking.Match]:
    return [ranking.Match(m.home_id, m.away_id, m.home_score, m.away_score) for m in matches if m.played]


def round_standings(rnd: Round, entries: dict[int, Entry], divisions: list[Division]) -> RoundStandings:
    comp = rnd.competition
    groups: list[Division | None] = divisions if rnd.by_division and divisions else [None]
    blocks: list[Block] = []
    stage: list[tuple[int, int]] = []
    if rnd.has_matches:
        matches = list(rnd.matches.all())
        for div in groups:
            mine = [m for m in matches if div is None or m.division_id == div.pk]
            if rnd.kind == Round.Kind.ROUND_ROBIN:
                ids = sorted({m.home_id for m in mine} | {m.away_id for m in mine})
                table = ranking.round_robin_table(ids, _played(mine), points_of(comp))
                for row in table:
                    row.entry = entries[row.entry]
                stage += [(r.entry.pk, r.place) for r in table if r.place]
                blocks.append(Block(div, table, mine))
            else:
                places = ranking.knockout_places(_played(mine))
                rows = [{"entry": entries[k], "place": p, "value": None} for k, p in places]
                stage += places
                blocks.append(Block(div, rows, mine))
    else:
        scores = {s.entry_id: s.value for s in rnd.scores.all()}
        higher = comp.higher_is_better if rnd.kind == Round.Kind.SCORES else False
        for div in groups:
            mine = {
                k: v
                for k, v in scores.items()
                if div is None or (k in entries and entries[k].division_id == div.pk)
            }
            ranked = ranking.rank_scores(mine, higher_is_better=higher)
            rows = [{"entry": entries[k], "place": p, "value": v} for k, p, v in ranked]
            stage += [(k, p) for k, p, _v in ranked]
            blocks.append(Block(div, rows))
    return RoundStandings(rnd, blocks, stage)


@dataclass
class Standing:
    entry: Entry
    place: int
    award: Award | None = None


@dataclass
class Overview:
    competition: Competition
    entries: list[Entry]
    divisions: list[Division]
    rounds: list[RoundStandings]
    ranking: list[Standing]
    participants: int


def overview(competition: Competition) -> Overview:
    """Everything the competition page, the API, the results sheet and the certificates show."""
    entries = entries_of(competition)
    by_id = {e.pk: e for e in entries}
    divisions = list(competition.divisions.all())
    rounds = (
        Round.objects.filter(competition=competition)
        .select_related("competition")
        .prefetch_related(
            Prefetch("matches", queryset=Match.objects.select_related("home", "away", "division")),
            Prefetch("scores", queryset=Score.objects.all()),
        )
    )
    standings = [round_standings(r, by_id, divisions) for r in rounds]
    final = ranking.final_standings([s.stage for s in standings if s.has_results])
    awards = {a.entry_id: a for a in Award.objects.filter(competition=competition).select_related("tier")}
    rows = sorted(
        (Standing(by_id[k], place, awards.get(k)) for k, place in final),
        key=lambda s: (s.place, s.entry.name),
    )
    return Overview(
        competition=competition,
        entries=entries,
        divisions=divisions,
        rounds=standings,
        ranking=rows,
        participants=sum(len(e.people.all()) for e in entries),
    )


def awards_of(competition: Competition) -> list[Award]:
    return list(
        Award.objects.filter(competition=competition)
        .select_related("tier", "entry__division")
        .prefetch_related(Prefetch("entry__people", queryset=EntryMember.objects.select_related("member")))
    )
