"""API v1: competitions (文体比赛) — the list, one competition with its ranking, and recording a
result (a match's score, or the scores of a scored round). Every member who sees the activities
reads them; the organisers (activities.manage) record results."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema

from jiaogong.api.schemas import ErrorOut
from jiaogong.competitions import selectors, services
from jiaogong.competitions.models import Competition
from jiaogong.core.permissions import org_for

router = Router(tags=["文体比赛"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CompetitionBrief(Schema):
    id: int
    activity: int = Field(description="对应的活动 id（活动页：报名、签到）")
    title: str
    sport: str
    entry_kind: str = Field(description="individual 个人赛、team 团体赛")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    entries: int


class CompetitionsOut(Schema):
    count: int
    items: list[CompetitionBrief]


class CompetitionEntryOut(Schema):
    id: int
    name: str
    members: list[int]
    division: int | None
    seed: int | None


class DivisionOut(Schema):
    id: int
    name: str
    union_group: int | None


class MatchOut(Schema):
    id: int
    division: int | None
    home: int
    away: int
    home_score: Decimal | None
    away_score: Decimal | None
    winner: int | None = Field(description="胜方参赛 id；未赛或平局为 null")


class ScoreOut(Schema):
    entry: int
    value: Decimal
    place: int = Field(description="本轮（分组时为组内）名次，并列相同")


class RoundOut(Schema):
    id: int
    name: str
    kind: str = Field(description="round_robin 循环赛、knockout 淘汰赛、scores 计成绩、placings 录名次")
    by_division: bool
    matches: list[MatchOut]
    scores: list[ScoreOut]


class PlaceOut(Schema):
    entry: int
    name: str
    place: int
    prize: str | None = Field(description="已颁奖项，如 一等奖")


class PrizeRuleOut(Schema):
    share: str = Field(description="获奖人数上限占参赛人数的比例（参数 funds.prize_max_share），如 2/3")
    participants: int
    max_winners: int


class CompetitionOut(CompetitionBrief):
    higher_is_better: bool = Field(description="计成绩的轮次：true 成绩越高越好，false 越低越好（用时）")
    unit: str
    points: dict[str, int] = Field(description="循环赛积分：win、draw、loss")
    draw_seed: int | None = Field(description="抽签分组的随机种子（可复核）")
    divisions: list[DivisionOut]
    entry_list: list[CompetitionEntryOut]
    rounds: list[RoundOut]
    ranking: list[PlaceOut] = Field(
        description="总名次：进入后一轮者在前，同一轮出局者按该轮名次，相同者并列"
    )
    tiers: list[dict] = Field(description="奖项设置：name、count")
    prize_rule: PrizeRuleOut


class MatchResultIn(Schema):
    home_score: Decimal = Field(description="甲方比分（局分或分数），不小于 0")
    away_score: Decimal = Field(description="乙方比分；淘汰赛不能与甲方相同")


class ScoreIn(Schema):
    entry: int
    value: Decimal | None = Field(description="成绩或名次；null 表示删除该参赛者本轮成绩")


class ScoresIn(Schema):
    scores: list[ScoreIn]


def _brief(c: Competition, entries: int) -> dict:
    return {
        "id": c.pk,
        "activity": c.activity_id,
        "title": c.activity.title,
        "sport": c.sport,
        "entry_kind": c.entry_kind,
        "starts_at": c.activity.starts_at,
        "ends_at": c.activity.ends_at,
        "entries": entries,
    }


def _match(m) -> dict:
    return {
        "id": m.pk,
        "division": m.division_id,
        "home": m.home_id,
        "away": m.away_id,
        "home_score": m.home_score,
        "away_score": m.away_score,
        "winner": m.winner_id,
    }


def competition_out(c: Competition) -> dict:
    from jiaogong.competitions import ranking

    view = selectors.overview(c)
    share = selectors.prize_share(c.org)
    rounds = []
    for rs in view.rounds:
        scores = []
        matches = []
        for block in rs.blocks:
            if rs.round.has_matches:
                matches += [_match(m) for m in block.matches]
            else:
                scores += [
                    {"entry": r["entry"].pk, "value": r["value"], "place": r["place"]} for r in block.rows
                ]
        rounds.append(
            {
                "id": rs.round.pk,
                "name": rs.round.name,
                "kind": rs.round.kind,
                "by_division": rs.round.by_division,
                "matches": matches,
                "scores": scores,
            }
        )
    return {
        **_brief(c, len(view.entries)),
        "higher_is_better": c.higher_is_better,
        "unit": c.unit,
        "points": {"win": c.points_win, "draw": c.points_draw, "loss": c.points_loss},
        "draw_seed": c.draw_seed,
        "divisions": [{"id": d.pk, "name": d.name, "union_group": d.union_group_id} for d in view.divisions],
        "entry_list": [
            {
                "id": e.pk,
                "name": e.name,
                "members": [p.member_id for p in e.people.all()],
                "division": e.division_id,
                "seed": e.seed,
            }
            for e in view.entries
        ],
        "rounds": rounds,
        "ranking": [
            {
                "entry": s.entry.pk,
                "name": s.entry.name,
                "place": s.place,
                "prize": s.award.tier.name if s.award else None,
            }
            for s in view.ranking
        ],
        "tiers": [{"name": t.name, "count": t.count} for t in c.tiers.all()],
        "prize_rule": {
            "share": str(share),
            "participants": view.participants,
            "max_winners": ranking.prize_limit(view.participants, share),
        },
    }


def _competition(user, competition_id: int, capability: str) -> tuple[object, Competition]:
    org_id = Competition.objects.filter(pk=competition_id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该比赛。")
    org = org_for(user, org_id, capability)
    return org, selectors.competition_for(org, competition_id)


@router.get("/orgs/{int:org}/competitions", response={200: CompetitionsOut, **ERRORS}, summary="文体比赛列表")
def list_competitions(request, org: int):
    """本单位的比赛，新的在前。"""
    the_org = org_for(request.auth, org, "activities.view")
    items = [_brief(c, c.entry_count) for c in selectors.competitions_of(the_org)]
    return {"count": len(items), "items": items}


@router.get(
    "/competitions/{int:competition}", response={200: CompetitionOut, **ERRORS}, summary="一项比赛及其名次"
)
def get_competition(request, competition: int):
    """分组、参赛名单、各轮对阵与成绩、总名次与奖项，以及奖项规则（获奖人数上限）。"""
    _org, comp = _competition(request.auth, competition, "activities.view")
    return competition_out(comp)


@router.post(
    "/competitions/{int:competition}/matches/{int:match}/result",
    response={200: MatchOut, **ERRORS},
    summary="录入一场比赛的比分",
)
def record_match_result(request, competition: int, match: int, payload: MatchResultIn):
    """组织者（activities.manage）。已颁奖的比赛返回 409。"""
    org, comp = _competition(request.auth, competition, "activities.manage")
    the_match = selectors.match_for(comp, match)
    done = services.record_match_result(actor=request.auth, org=org, match=the_match, **payload.dict())
    return _match(done)


@router.post(
    "/competitions/{int:competition}/rounds/{int:round}/scores",
    response={200: list[ScoreOut], **ERRORS},
    summary="录入计成绩或录名次轮次的成绩",
)
def record_scores(request, competition: int, round: int, payload: ScoresIn):
    """一次提交多项；有一项有误则全部不保存（`fields` 为 `entry_<id>`）。返回本轮名次。"""
    org, comp = _competition(request.auth, competition, "activities.manage")
    rnd = selectors.round_for(comp, round)
    values = {str(s.entry): (None if s.value is None else str(s.value)) for s in payload.scores}
    services.record_scores(actor=request.auth, org=org, round=rnd, values=values)
    view = selectors.overview(comp)
    rs = next(r for r in view.rounds if r.round.pk == rnd.pk)
    return [
        {"entry": r["entry"].pk, "value": r["value"], "place": r["place"]} for b in rs.blocks for r in b.rows
    ]
