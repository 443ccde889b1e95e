"""Competitions: every write goes through here (the pages and the API both call these).

Each write is atomic, checks its rules with a Chinese message and writes an audit row. Results
change the ranking; once prizes are given the results are frozen until the prizes are withdrawn,
so a certificate never disagrees with the results sheet.
"""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.activities.models import Registration
from jiaogong.activities.services import create_activity
from jiaogong.competitions import ranking, selectors
from jiaogong.competitions.models import (
    Award,
    Competition,
    Division,
    Entry,
    EntryMember,
    Match,
    PrizeTier,
    Round,
    Score,
)
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.parsing import clean_text
from jiaogong.core.rules import RULES
from jiaogong.members.models import Member

DIVISION_NAMES = "一二三四五六七八九十"
PRIZE_NAMES = ("一等奖", "二等奖", "三等奖", "优胜奖")
MAX_SCORE = Decimal("99999999")
MATCH_MAX = Decimal("9999")


def division_name(i: int) -> str:
    return f"第{DIVISION_NAMES[i]}组" if i < len(DIVISION_NAMES) else f"第{i + 1}组"


def _no_awards(competition: Competition) -> None:
    if Award.objects.filter(competition=competition).exists():
        raise Conflict("awarded", "本比赛已颁奖，成绩和参赛名单已锁定；如需更正，请先撤销颁奖。")


def _points(value, label, field, errors) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors[field] = f"{label}应为整数。"
        return 0
    if n < 0 or n > 100:
        errors[field] = f"{label}应在 0–100 之间。"
    return n


# ---- the competition ----------------------------------------------------------------------------


@transaction.atomic
def create_competition(
    *,
    actor,
    org,
    title: str,
    sport: str,
    entry_kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    description: str = "",
    higher_is_better: bool = True,
    unit: str = "",
    points_win: int = 2,
    points_draw: int = 1,
    points_loss: int = 0,
    registration: bool = False,
    capacity: int | None = None,
    registration_deadline: datetime.datetime | None = None,
) -> Competition:
    """A competition and its activity (kind 文体比赛, on the calendar; members sign up through the
    activity when `registration`)."""
    errors: dict[str, str] = {}
    sport = clean_text(sport, label="比赛项目", max_length=30, required=True, errors=errors, field="sport")
    unit = clean_text(unit, label="成绩单位", max_length=10, required=False, errors=errors, field="unit")
    if entry_kind not in Competition.EntryKind.values:
        errors["entry_kind"] = "请选择个人赛或团体赛。"
    win = _points(points_win, "胜一场积分", "points_win", errors)
    draw = _points(points_draw, "平一场积分", "points_draw", errors)
    loss = _points(points_loss, "负一场积分", "points_loss", errors)
    if not errors and not (win >= draw >= loss):
        errors["points_win"] = "积分应为 胜 ≥ 平 ≥ 负。"
    try:
        activity = create_activity(
            actor=actor,
            org=org,
            title=title,
            kind="sports",
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            registration=bool(registration or capacity or registration_deadline) or None,
            registration_deadline=registration_deadline,
            location=location,
            description=description,
        )
    except InvalidInput as e:
        raise InvalidInput({**e.fields, **errors}) from None
    if errors:
        raise InvalidInput(errors)
    competition = Competition.objects.create(
        org=org,
        activity=activity,
        sport=sport,
        entry_kind=entry_kind,
        higher_is_better=bool(higher_is_better),
        unit=unit,
        points_win=win,
        points_draw=draw,
        points_loss=loss,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        org=org,
        action="competitions.competition.create",
        obj=competition,
        changes={"activity": activity.pk, "sport": sport, "entry_kind": entry_kind},
    )
    return competition


# ---- entries ------------------------------------------------------------------------------------


def _members(org, ids) -> list[Member]:
    wanted = []
    for raw in ids or []:
        try:
            wanted.append(int(getattr(raw, "pk", raw)))
        except (TypeError, ValueError):
            raise InvalidInput({"members": "会员编号有误。"}) from None
    found = {m.pk: m for m in Member.objects.filter(org=org, pk__in=wanted).select_related("union_group")}
    if len(found) != len(set(wanted)):
        raise InvalidInput({"members": "所选会员不在本单位。"})
    return [found[i] for i in dict.fromkeys(wanted)]


def _taken(competition, members) -> None:
    taken = EntryMember.objects.filter(competition=competition, member__in=members).select_related(
        "member", "entry"
    )
    if taken:
        names = "、".join(f"{t.member.name}（{t.entry.name}）" for t in taken)
        raise InvalidInput({"members": f"已在本比赛的参赛名单中：{names}。一人只能参加一个队/一项。"})


def _individual_name(competition, member) -> str:
    name = member.name
    if Entry.objects.filter(competition=competition, name=name).exists():
        group = member.union_group.name if member.union_group_id else f"编号{member.pk}"
        name = f"{member.name}（{group}）"[:50]
    return name


def _seed(value, errors) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors["seed"] = "种子号应为正整数。"
        return None
    if n < 1 or n > 999:
        errors["seed"] = "种子号应为正整数。"
    return n


@transaction.atomic
def add_entry(*, actor, org, competition: Competition, members, name: str = "", seed=None) -> Entry:
    """Enter a member (个人赛) or a team with its members (团体赛)."""
    _no_awards(competition)
    errors: dict[str, str] = {}
    people = _members(org, members)
    seed = _seed(seed, errors)
    if competition.is_team:
        name = clean_text(name, label="队名", max_length=50, required=True, errors=errors, field="name")
        if not people:
            errors["members"] = "请选择队员。"
        elif "name" not in errors and Entry.objects.filter(competition=competition, name=name).exists():
            errors["name"] = f"队名“{name}”已有，请换一个。"
    elif len(people) != 1:
        errors["members"] = "个人赛每次登记一名会员。"
    if errors:
        raise InvalidInput(errors)
    _taken(competition, people)
    if not competition.is_team:
        name = _individual_name(competition, people[0])
    entry = Entry.objects.create(org=org, competition=competition, name=name, seed=seed)
    EntryMember.objects.bulk_create(
        [EntryMember(org=org, competition=competition, entry=entry, member=m) for m in people]
    )
    audit.record(
        actor=actor,
        org=org,
        action="competitions.entry.create",
        obj=entry,
        changes={"competition": competition.pk, "members": [m.pk for m in people], "seed": seed},
    )
    return entry


@transaction.atomic
def remove_entry(*, actor, org, competition: Competition, entry: Entry) -> None:
    _no_awards(competition)
    played = (
        Match.objects.filter(round__competition=competition).filter(home=entry).exists()
        or Match.objects.filter(round__competition=competition, away=entry).exists()
        or Score.objects.filter(round__competition=competition, entry=entry).exists()
    )
    if played:
        raise Conflict(
            "entry_in_results", f"“{entry.name}”已在对阵或成绩中，不能删除；可在成绩中记为弃权（0 分）。"
        )
    audit.record(
        actor=actor,
        org=org,
        action="competitions.entry.delete",
        obj=entry,
        changes={"competition": competition.pk, "name": entry.name},
    )
    entry.delete()


@transaction.atomic
def import_registrations(*, actor, org, competition: Competition) -> list[Entry]:
    """Enter every member whose sign-up to the activity is confirmed and who is not entered yet
    (个人赛; a team is made up on the page from those who signed up)."""
    _no_awards(competition)
    if competition.is_team:
        raise DomainError("team_import", "团体赛请先建队，再从报名的会员中选择队员。")
    registrations = (
        Registration.objects.filter(
            org=org, activity=competition.activity, status=Registration.Status.CONFIRMED
        )
        .exclude(member__competition_entries__competition=competition)
        .select_related("member__union_group")
        .order_by("registered_at", "id")
    )
    created = []
    for r in registrations:
        entry = Entry.objects.create(
            org=org, competition=competition, name=_individual_name(competition, r.member), registration=r
        )
        EntryMember.objects.create(org=org, competition=competition, entry=entry, member=r.member)
        created.append(entry)
    audit.record(
        actor=actor,
        org=org,
        action="competitions.entry.import",
        obj=competition,
        changes={"entries": [e.pk for e in created]},
    )
    return created


# ---- divisions ----------------------------------------------------------------------------------


def _no_matches(competition) -> None:
    if (
        Match.objects.filter(round__competition=competition).exists()
        or Score.objects.filter(round__competition=competition, round__by_division=True).exists()
    ):
        raise Conflict("divisions_in_use", "已经按分组排出对阵或录入成绩，不能重新分组。")


def _replace_divisions(competition, names_and_groups):
    Entry.objects.filter(competition=competition).update(division=None)
    Division.objects.filter(competition=competition).delete()
    return [
        Division.objects.create(
            org=competition.org, competition=competition, name=name, union_group=group, position=i
        )
        for i, (name, group) in enumerate(names_and_groups)
    ]


@transaction.atomic
def draw_divisions(*, actor, org, competition: Competition, groups, seed=None) -> list[Division]:
    """分N组 by a fair seeded draw (ranking.draw_divisions); the seed is kept and audited so anyone
    can check the draw. Without a seed, a random one is drawn."""
    _no_awards(competition)
    _no_matches(competition)
    entries = list(Entry.objects.filter(competition=competition).order_by("id"))
    try:
        groups = int(groups)
    except (TypeError, ValueError):
        raise InvalidInput({"groups": "分组数应为整数。"}) from None
    if groups < 2 or groups > 10:
        raise InvalidInput({"groups": "分组数应在 2–10 之间。"})
    if len(entries) < groups * 2:
        raise InvalidInput({"groups": f"参赛共 {len(entries)} 个，分 {groups} 组每组不足 2 个，请减少组数。"})
    if seed in (None, ""):
        seed = secrets.randbelow(10**9)
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise InvalidInput({"seed": "抽签种子应为整数。"}) from None
    if seed < 0 or seed > 10**15:
        raise InvalidInput({"seed": "抽签种子应为非负整数。"})
    dealt = ranking.draw_divisions([e.pk for e in entries], groups, seed, {e.pk: e.seed for e in entries})
    divisions = _replace_divisions(competition, [(division_name(i), None) for i in range(groups)])
    for div, ids in zip(divisions, dealt, strict=True):
        Entry.objects.filter(pk__in=ids).update(division=div)
    competition.division_mode = Competition.DivisionMode.DRAW
    competition.draw_seed = seed
    competition.save(update_fields=["division_mode", "draw_seed"])
    audit.record(
        actor=actor,
        org=org,
        action="competitions.division.draw",
        obj=competition,
        changes={
            "groups": groups,
            "seed": seed,
            "divisions": {d.name: ids for d, ids in zip(divisions, dealt, strict=True)},
        },
    )
    return divisions


def _group_of(entry: Entry):
    """A team's group is its members' most common 工会小组 (an individual's is their own)."""
    counts: dict = {}
    for p in entry.people.all():
        g = p.member.union_group
        counts[g] = counts.get(g, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda g: (counts[g], g is not None, getattr(g, "name", "")))


@transaction.atomic
def divide_by_group(*, actor, org, competition: Competition) -> list[Division]:
    """One division per 工会小组/年级组 of the entries (those in no group together as “未分组”)."""
    _no_awards(competition)
    _no_matches(competition)
    entries = selectors.entries_of(competition)
    if not entries:
        raise DomainError("no_entries", "还没有参赛者，请先登记参赛名单。")
    of = {e.pk: _group_of(e) for e in entries}
    groups = sorted({g for g in of.values() if g is not None}, key=lambda g: g.name)
    pairs = [(g.name[:50], g) for g in groups]
    if any(g is None for g in of.values()):
        pairs.append(("未分组", None))
    divisions = _replace_divisions(competition, pairs)
    by_group = {d.union_group_id: d for d in divisions}
    for e in entries:
        g = of[e.pk]
        Entry.objects.filter(pk=e.pk).update(division=by_group[g.pk if g else None])
    competition.division_mode = Competition.DivisionMode.GROUP
    competition.draw_seed = None
    competition.save(update_fields=["division_mode", "draw_seed"])
    audit.record(
        actor=actor,
        org=org,
        action="competitions.division.by_group",
        obj=competition,
        changes={"divisions": [d.name for d in divisions]},
    )
    return divisions


# ---- rounds and results -------------------------------------------------------------------------


@transaction.atomic
def add_round(*, actor, org, competition: Competition, name: str, kind: str, by_division=False) -> Round:
    _no_awards(competition)
    errors: dict[str, str] = {}
    name = clean_text(name, label="轮次名称", max_length=30, required=True, errors=errors, field="name")
    if kind not in Round.Kind.values:
        errors["kind"] = "请选择赛制。"
    if "name" not in errors and Round.objects.filter(competition=competition, name=name).exists():
        errors["name"] = f"已有轮次“{name}”。"
    if by_division and not competition.divisions.exists():
        errors["by_division"] = "还没有分组：请先抽签分组或按工会小组分组。"
    if errors:
        raise InvalidInput(errors)
    position = Round.objects.filter(competition=competition).count()
    rnd = Round.objects.create(
        org=org,
        competition=competition,
        name=name,
        kind=kind,
        by_division=bool(by_division),
        position=position,
    )
    audit.record(
        actor=actor,
        org=org,
        action="competitions.round.create",
        obj=rnd,
        changes={"competition": competition.pk, "kind": kind, "by_division": bool(by_division)},
    )
    return rnd


@transaction.atomic
def generate_round_robin(*, actor, org, round: Round) -> list[Match]:
    """单循环: every pair of entries meets once — within each division for a 小组赛."""
    competition = round.competition
    _no_awards(competition)
    if round.kind != Round.Kind.ROUND_ROBIN:
        raise DomainError("not_round_robin", "只有循环赛可以自动排出对阵。")
    if round.matches.exists():
        raise Conflict("matches_exist", "本轮已有对阵，不能重复编排。")
    entries = list(Entry.objects.filter(competition=competition).order_by("division__position", "id"))
    if round.by_division:
        blocks = [(d, [e.pk for e in entries if e.division_id == d.pk]) for d in competition.divisions.all()]
        if any(e.division_id is None for e in entries):
            raise DomainError("unassigned", "有参赛者还没有分组，请重新分组后再编排。")
    else:
        blocks = [(None, [e.pk for e in entries])]
    matches = []
    for div, ids in blocks:
        for home, away in ranking.round_robin_pairs(ids):
            matches.append(Match(org=org, round=round, division=div, home_id=home, away_id=away))
    if not matches:
        raise DomainError("too_few", "参赛者不足两个，无法编排对阵。")
    Match.objects.bulk_create(matches)
    audit.record(
        actor=actor,
        org=org,
        action="competitions.match.generate",
        obj=round,
        changes={"matches": len(matches)},
    )
    return matches


def _entry_place(row) -> tuple:
    """(entry, place) of a standings row: a round-robin table row or a placings/scores dict."""
    if isinstance(row, dict):
        return row["entry"], row["place"]
    return row.entry, row.place


@transaction.atomic
def generate_knockout(*, actor, org, round: Round, per_division: int = 1) -> list[Match]:
    """淘汰赛 from the round before it: after a group stage the first `per_division` of each group go
    through and meet crosswise (ranking.cross_pairs); after a knock-out round its winners meet in
    match order (ranking.winners_pairs). A tie at the cut or an unplayed match is refused: the
    organiser settles it first."""
    from jiaogong.competitions import selectors

    competition = round.competition
    _no_awards(competition)
    if round.kind != Round.Kind.KNOCKOUT or round.by_division:
        raise DomainError("not_knockout", "只有不分组的淘汰赛可以由上一轮生成对阵。")
    if round.matches.exists():
        raise Conflict("matches_exist", "本轮已有对阵，不能重复编排。")
    previous = competition.rounds.filter(position__lt=round.position).order_by("-position", "-id").first()
    if previous is None:
        raise DomainError("no_previous_round", "这是第一轮，没有可晋级的参赛者；请手工添加对阵。")
    entries = {e.pk: e for e in Entry.objects.filter(competition=competition)}
    standings = selectors.round_standings(previous, entries, list(competition.divisions.all()))
    if previous.kind == Round.Kind.KNOCKOUT:
        matches = list(previous.matches.order_by("id"))
        if not matches or any(not m.played for m in matches):
            raise DomainError("unplayed", f"“{previous.name}”还有未赛的对阵，赛完后再生成下一轮。")
        try:
            pairs = ranking.winners_pairs([m.winner_id for m in matches])
        except ValueError:
            raise DomainError(
                "odd_qualifiers", f"“{previous.name}”的胜者为 {len(matches)} 人（队），不能两两对阵。"
            ) from None
    else:
        if not isinstance(per_division, int) or not 1 <= per_division <= 8:
            raise InvalidInput({"per_division": "每组晋级名额应为 1 到 8。"})
        by_place: list[list] = [[] for _ in range(per_division)]
        for block in standings.blocks:
            where = block.division.name if block.division else "本轮"
            placed = [_entry_place(row) for row in block.rows]
            placed = [(entry, place) for entry, place in placed if place]
            top, rest = placed[:per_division], placed[per_division:]
            if len(top) < per_division:
                raise DomainError("unplayed", f"{where}还没有决出前 {per_division} 名。")
            if [place for _e, place in top] != list(range(1, per_division + 1)) or (
                rest and rest[0][1] == top[-1][1]
            ):
                raise DomainError(
                    "tie_at_cut", f"{where}前 {per_division} 名有并列，请先加赛或录入名次，再生成淘汰赛。"
                )
            for i, (entry, _place) in enumerate(top):
                by_place[i].append(entry.pk)
        qualifiers = [k for group in by_place for k in group]
        try:
            pairs = ranking.cross_pairs(by_place)
        except ValueError:
            raise DomainError(
                "odd_qualifiers", f"晋级者为 {len(qualifiers)} 人（队），不能两两对阵；请调整每组晋级名额。"
            ) from None
    created = Match.objects.bulk_create(
        [Match(org=org, round=round, home_id=home, away_id=away) for home, away in pairs]
    )
    audit.record(
        actor=actor,
        org=org,
        action="competitions.match.generate",
        obj=round,
        changes={"from_round": previous.pk, "matches": len(created), "per_division": per_division},
    )
    return created


@transaction.atomic
def add_match(*, actor, org, round: Round, home: Entry, away: Entry) -> Match:
    competition = round.competition
    _no_awards(competition)
    if not round.has_matches:
        raise DomainError("not_matches", "计成绩、录名次的轮次没有对阵，请直接录入成绩。")
    if home.competition_id != competition.pk or away.competition_id != competition.pk:
        raise InvalidInput({"home": "参赛者不属于本比赛。"})
    if home.pk == away.pk:
        raise InvalidInput({"away": "对阵双方不能是同一个参赛者。"})
    division = None
    if round.by_division:
        if home.division_id is None or home.division_id != away.division_id:
            raise InvalidInput({"away": "分组排名的轮次只能安排同组的对阵。"})
        division = home.division
    match = Match.objects.create(org=org, round=round, division=division, home=home, away=away)
    audit.record(
        actor=actor,
        org=org,
        action="competitions.match.create",
        obj=match,
        changes={"round": round.pk, "home": home.pk, "away": away.pk},
    )
    return match


def _score(
    value, label: str, field: str, errors: dict, *, integer=False, maximum=MAX_SCORE, places=3
) -> Decimal | None:
    text = str(value if value is not None else "").strip()
    if not text:
        errors[field] = f"请填写{label}。"
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        errors[field] = f"{label}“{text[:12]}”不是数字。"
        return None
    if not d.is_finite() or d < 0 or d > maximum:
        errors[field] = f"{label}应为 0 到 {maximum} 之间的数。"
        return None
    if integer and (d != d.to_integral_value() or d < 1):
        errors[field] = f"{label}应为正整数（1 表示第一名）。"
        return None
    if d.as_tuple().exponent < -places:
        errors[field] = f"{label}最多 {places} 位小数。"
        return None
    return d


@transaction.atomic
def record_match_result(*, actor, org, match: Match, home_score, away_score) -> Match:
    """The score of a match (局分 2:1 or 分数 21:15). A knock-out match must have a winner."""
    _no_awards(match.round.competition)
    errors: dict[str, str] = {}
    h = _score(home_score, f"{match.home.name}的比分", "home_score", errors, maximum=MATCH_MAX, places=2)
    a = _score(away_score, f"{match.away.name}的比分", "away_score", errors, maximum=MATCH_MAX, places=2)
    if not errors and match.round.kind == Round.Kind.KNOCKOUT and h == a:
        errors["away_score"] = "淘汰赛必须分出胜负，比分不能相同。"
    if errors:
        raise InvalidInput(errors)
    before = [str(match.home_score), str(match.away_score)] if match.played else None
    match.home_score, match.away_score = h, a
    match.recorded_by, match.recorded_at = actor, timezone.now()
    match.save(update_fields=["home_score", "away_score", "recorded_by", "recorded_at"])
    audit.record(
        actor=actor,
        org=org,
        action="competitions.match.result",
        obj=match,
        changes={"score": [before, [str(h), str(a)]]},
    )
    return match


@transaction.atomic
def record_scores(*, actor, org, round: Round, values: dict) -> int:
    """The scores (or placings) of a round, all at once: {entry id: text}; a blank removes the
    entry's score. One bad value and nothing is saved (each bad row gets its message)."""
    competition = round.competition
    _no_awards(competition)
    if round.has_matches:
        raise DomainError("has_matches", "循环赛和淘汰赛请逐场录入比分。")
    entries = {e.pk: e for e in Entry.objects.filter(competition=competition)}
    errors: dict[str, str] = {}
    parsed: dict[int, Decimal | None] = {}
    placing = round.kind == Round.Kind.PLACINGS
    label = "名次" if placing else "成绩"
    for raw_key, raw in values.items():
        try:
            key = int(raw_key)
        except (TypeError, ValueError):
            key = None
        if key not in entries:
            errors[f"entry_{raw_key}"] = "参赛者不属于本比赛。"
            continue
        if raw is None or not str(raw).strip():
            parsed[key] = None
            continue
        value = _score(raw, f"{entries[key].name}的{label}", f"entry_{key}", errors, integer=placing)
        if value is not None:
            parsed[key] = value
    if errors:
        raise InvalidInput(errors, message=f"有 {len(errors)} 项{label}有误，未保存任何内容。")
    existing = {s.entry_id: s for s in Score.objects.filter(round=round)}
    changed = {}
    for key, value in parsed.items():
        old = existing.get(key)
        if value is None:
            if old is not None:
                old.delete()
                changed[key] = [str(old.value), None]
        elif old is None:
            Score.objects.create(org=org, round=round, entry_id=key, value=value, recorded_by=actor)
            changed[key] = [None, str(value)]
        elif old.value != value:
            changed[key] = [str(old.value), str(value)]
            old.value, old.recorded_by = value, actor
            old.save(update_fields=["value", "recorded_by", "recorded_at"])
    audit.record(actor=actor, org=org, action="competitions.score.record", obj=round, changes=changed)
    return len(changed)


# ---- prizes -------------------------------------------------------------------------------------


def prize_rule_text(org, participants: int, unit: str = "人") -> str:
    share = selectors.prize_share(org)
    limit = ranking.prize_limit(participants, share)
    rule = RULES["funds.prize_max_share"]
    return (
        f"奖项规则（{rule.label}，依据 {rule.source}）：获奖不超过参赛{unit}数的 {share}；"
        f"本次参赛 {participants} {unit}，最多 {limit} {unit}获奖"
    )


@transaction.atomic
def set_prizes(*, actor, org, competition: Competition, tiers) -> list[PrizeTier]:
    """The prize tiers [(name, count), …], in order. Their total may not exceed the prize rule's
    share of the participants (entries for a team competition; people are checked when awarding)."""
    _no_awards(competition)
    errors: dict[str, str] = {}
    clean = []
    names = set()
    for i, (name, count) in enumerate(tiers):
        name = clean_text(
            name, label="奖项名称", max_length=20, required=False, errors=errors, field=f"name_{i}"
        )
        try:
            count = int(str(count).strip() or 0)
        except (TypeError, ValueError):
            errors[f"count_{i}"] = "名额应为整数。"
            continue
        if count < 0 or count > 999:
            errors[f"count_{i}"] = "名额应为 0 以上的整数。"
            continue
        if not count:
            continue
        if not name:
            errors[f"name_{i}"] = "请填写奖项名称。"
        elif name in names:
            errors[f"name_{i}"] = f"奖项“{name}”重复。"
        names.add(name)
        clean.append((name, count))
    if errors:
        raise InvalidInput(errors)
    total = sum(c for _n, c in clean)
    if competition.is_team:
        base, unit = Entry.objects.filter(competition=competition).count(), "队"
    else:
        base, unit = selectors.participants(competition), "人"
    limit = ranking.prize_limit(base, selectors.prize_share(org))
    if total > limit:
        raise DomainError(
            "prize_rule",
            f"获奖名额共 {total} 个，超过了{prize_rule_text(org, base, unit)}。请减少名额。",
            fields={"count_0": f"最多 {limit} 个。"},
            extra={"limit": limit, "participants": base, "requested": total},
        )
    PrizeTier.objects.filter(competition=competition).delete()
    created = [
        PrizeTier.objects.create(org=org, competition=competition, name=name, count=count, position=i)
        for i, (name, count) in enumerate(clean)
    ]
    audit.record(
        actor=actor,
        org=org,
        action="competitions.prize.set",
        obj=competition,
        changes={"tiers": [[n, c] for n, c in clean], "limit": limit},
    )
    return created


@transaction.atomic
def award_from_ranking(*, actor, org, competition: Competition) -> ranking.Allocation:
    """Give the tiers down the current ranking (ties share a prize; see ranking.allocate_prizes),
    within the prize rule counted in people."""
    if Award.objects.filter(competition=competition).exists():
        raise Conflict("awarded", "本比赛已颁奖；如需重新颁奖，请先撤销颁奖。")
    tiers = list(PrizeTier.objects.filter(competition=competition))
    if not tiers:
        raise DomainError("no_tiers", "请先设置奖项和名额。")
    view = selectors.overview(competition)
    if not view.ranking:
        raise DomainError("no_ranking", "还没有比赛结果，无法按名次颁奖。")
    people = view.participants
    limit = ranking.prize_limit(people, selectors.prize_share(org))
    sizes = {e.pk: max(1, len(e.people.all())) for e in view.entries}
    allocation = ranking.allocate_prizes(
        [(s.entry.pk, s.place) for s in view.ranking],
        [t.count for t in tiers],
        max_winners=limit,
        sizes=sizes,
    )
    if not allocation.awards:
        raise DomainError(
            "prize_rule", "无法颁奖：" + "".join(allocation.notes) + f"（{prize_rule_text(org, people)}）"
        )
    try:
        Award.objects.bulk_create(
            [
                Award(org=org, competition=competition, entry_id=k, tier=tiers[t], place=p, awarded_by=actor)
                for k, t, p in allocation.awards
            ]
        )
    except IntegrityError:
        raise Conflict("awarded", "本比赛已颁奖。") from None
    audit.record(
        actor=actor,
        org=org,
        action="competitions.award.give",
        obj=competition,
        changes={
            "awards": [[k, tiers[t].name, p] for k, t, p in allocation.awards],
            "notes": allocation.notes,
        },
    )
    return allocation


@transaction.atomic
def revoke_awards(*, actor, org, competition: Competition) -> int:
    awards = list(Award.objects.filter(competition=competition).select_related("tier"))
    if not awards:
        raise DomainError("not_awarded", "本比赛还没有颁奖。")
    Award.objects.filter(competition=competition).delete()
    audit.record(
        actor=actor,
        org=org,
        action="competitions.award.revoke",
        obj=competition,
        changes={"awards": [[a.entry_id, a.tier.name, a.place] for a in awards]},
    )
    return len(awards)
