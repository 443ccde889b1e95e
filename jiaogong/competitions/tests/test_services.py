"""The services: a competition is an activity; entries, the draw and the group division, rounds and
results, the prize rule and awarding from the ranking."""

import datetime
from collections import Counter

import pytest

from jiaogong.activities.models import Activity, Registration
from jiaogong.competitions import selectors, services
from jiaogong.competitions.models import (
    Award,
    Competition,
    Division,
    Entry,
    EntryMember,
    Match,
    PrizeTier,
    Score,
)
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory

from .conftest import at


def test_a_competition_is_a_sports_activity_on_the_calendar(make_competition, school_a, day):
    comp = make_competition(registration=True, capacity=16)
    activity = Activity.objects.get()
    assert comp.activity == activity and activity.kind == "sports" and activity.org == school_a
    assert activity.registration and activity.capacity == 16
    assert activity.starts_at == at(day, 14, 30)
    assert AuditEvent.objects.filter(action="competitions.competition.create").count() == 1
    assert AuditEvent.objects.filter(action="activities.activity.create").count() == 1


def test_bad_input_names_every_field_and_writes_nothing(make_competition, day):
    with pytest.raises(InvalidInput) as e:
        make_competition(
            title="", sport="", entry_kind="pairs", ends_at=at(day, 10), points_win=0, points_draw=1
        )
    assert {"title", "sport", "entry_kind", "ends_at"} <= set(e.value.fields)
    assert not Activity.objects.exists() and not Competition.objects.exists()


def test_points_must_not_reward_a_loss_more_than_a_win(make_competition):
    with pytest.raises(InvalidInput) as e:
        make_competition(points_win=1, points_draw=2, points_loss=0)
    assert "胜 ≥ 平 ≥ 负" in e.value.fields["points_win"]
    assert not Activity.objects.exists()


def test_a_member_enters_once(badminton, school_a, organiser, players):
    with pytest.raises(InvalidInput) as e:
        services.add_entry(actor=organiser, org=school_a, competition=badminton, members=[players[0].pk])
    assert "李明" in e.value.fields["members"]
    assert Entry.objects.filter(competition=badminton).count() == 12


def test_another_schools_member_cannot_be_entered(badminton, school_b, school_a, organiser):
    stranger = MemberFactory(org=school_b, name="外校")
    with pytest.raises(InvalidInput):
        services.add_entry(actor=organiser, org=school_a, competition=badminton, members=[stranger.pk])
    assert not EntryMember.objects.filter(member=stranger).exists()


def test_two_members_of_the_same_name_are_told_apart_by_group(badminton, school_a, organiser, groups):
    twin = MemberFactory(org=school_a, name="李明", union_group=groups[2])
    entry = services.add_entry(actor=organiser, org=school_a, competition=badminton, members=[twin.pk])
    assert entry.name == "李明（英语组）"


def test_a_team_has_a_name_and_members(make_competition, school_a, organiser, players):
    tug = make_competition(title="拔河比赛", sport="拔河", entry_kind="team")
    with pytest.raises(InvalidInput) as e:
        services.add_entry(actor=organiser, org=school_a, competition=tug, members=[], name="")
    assert {"name", "members"} <= set(e.value.fields)
    team = services.add_entry(
        actor=organiser, org=school_a, competition=tug, members=[p.pk for p in players[:5]], name="语文组队"
    )
    assert team.people.count() == 5
    with pytest.raises(InvalidInput) as e:
        services.add_entry(
            actor=organiser,
            org=school_a,
            competition=tug,
            members=[players[4].pk, players[5].pk],
            name="数学组队",
        )
    assert "杨帆（语文组队）" in e.value.fields["members"]
    assert Entry.objects.filter(competition=tug).count() == 1


def test_confirmed_registrations_are_imported_once(badminton, school_a, organiser, groups):
    newcomers = [MemberFactory(org=school_a, name=n, union_group=groups[0]) for n in ("钱多", "孔明", "曹操")]
    for status, m in zip(["confirmed", "confirmed", "waitlisted"], newcomers, strict=True):
        Registration.objects.create(org=school_a, activity=badminton.activity, member=m, status=status)
    created = services.import_registrations(actor=organiser, org=school_a, competition=badminton)
    assert sorted(e.name for e in created) == ["孔明", "钱多"]
    assert all(e.registration_id for e in created)
    assert services.import_registrations(actor=organiser, org=school_a, competition=badminton) == []
    assert Entry.objects.filter(competition=badminton).count() == 14


def test_the_draw_makes_four_even_groups_and_keeps_its_seed(badminton, school_a, organiser):
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=4, seed=2026)
    badminton.refresh_from_db()
    assert badminton.draw_seed == 2026 and badminton.division_mode == "draw"
    sizes = Counter(Entry.objects.filter(competition=badminton).values_list("division__name", flat=True))
    assert sizes == {"第一组": 3, "第二组": 3, "第三组": 3, "第四组": 3}
    first = dict(Entry.objects.filter(competition=badminton).values_list("pk", "division__name"))
    # The same seed, drawn again, gives the same groups: anyone can check the draw.
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=4, seed=2026)
    assert dict(Entry.objects.filter(competition=badminton).values_list("pk", "division__name")) == first
    event = AuditEvent.objects.filter(action="competitions.division.draw").last()
    assert event.changes["seed"] == 2026


def test_without_a_seed_one_is_drawn_and_shown(badminton, school_a, organiser):
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=3)
    badminton.refresh_from_db()
    assert badminton.draw_seed is not None


def test_seeded_players_are_drawn_into_different_groups(make_competition, school_a, organiser, players):
    comp = make_competition()
    for i, p in enumerate(players):
        services.add_entry(
            actor=organiser, org=school_a, competition=comp, members=[p.pk], seed=i + 1 if i < 4 else None
        )
    for seed in range(5):
        services.draw_divisions(actor=organiser, org=school_a, competition=comp, groups=4, seed=seed)
        divisions = Entry.objects.filter(competition=comp, seed__isnull=False).values_list(
            "division", flat=True
        )
        assert len(set(divisions)) == 4


@pytest.mark.parametrize(("count", "field"), [(1, "groups"), (7, "groups"), ("x", "groups")])
def test_a_bad_draw_is_refused_and_writes_nothing(badminton, school_a, organiser, count, field):
    with pytest.raises(InvalidInput) as e:
        services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=count)
    assert field in e.value.fields
    assert not Division.objects.exists()


def test_divisions_by_union_group(badminton, school_a, organiser):
    divisions = services.divide_by_group(actor=organiser, org=school_a, competition=badminton)
    assert [d.name for d in divisions] == ["数学组", "英语组", "语文组"]
    for e in selectors.entries_of(badminton):
        assert e.division.union_group_id == e.people.all()[0].member.union_group_id


def test_members_in_no_group_are_put_together(badminton, school_a, organiser):
    loner = MemberFactory(org=school_a, name="路人", union_group=None)
    services.add_entry(actor=organiser, org=school_a, competition=badminton, members=[loner.pk])
    divisions = services.divide_by_group(actor=organiser, org=school_a, competition=badminton)
    assert divisions[-1].name == "未分组"
    assert Entry.objects.get(name="路人").division == divisions[-1]


def group_stage(comp, school_a, organiser):
    services.draw_divisions(actor=organiser, org=school_a, competition=comp, groups=4, seed=7)
    rnd = services.add_round(
        actor=organiser, org=school_a, competition=comp, name="小组赛", kind="round_robin", by_division=True
    )
    services.generate_round_robin(actor=organiser, org=school_a, round=rnd)
    return rnd


def test_the_group_stage_plays_everyone_in_the_group_once(badminton, school_a, organiser):
    rnd = group_stage(badminton, school_a, organiser)
    matches = list(Match.objects.filter(round=rnd))
    assert len(matches) == 4 * 3  # four groups of three: three matches each
    assert all(m.home.division_id == m.away.division_id == m.division_id for m in matches)
    with pytest.raises(Conflict):
        services.generate_round_robin(actor=organiser, org=school_a, round=rnd)
    with pytest.raises(Conflict):
        services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=3)


def test_a_match_result_counts_in_the_table(badminton, school_a, organiser):
    rnd = group_stage(badminton, school_a, organiser)
    m = Match.objects.filter(round=rnd).first()
    services.record_match_result(actor=organiser, org=school_a, match=m, home_score="2", away_score="1")
    view = selectors.overview(badminton)
    block = next(b for b in view.rounds[0].blocks if b.division.pk == m.division_id)
    top = block.rows[0]
    assert top.entry.pk == m.home_id and top.points == 2 and top.place == 1
    assert view.ranking[0].entry.pk == m.home_id


@pytest.mark.parametrize(
    ("home", "away", "field"),
    [
        ("", "1", "home_score"),
        ("-1", "2", "home_score"),
        ("2", "abc", "away_score"),
        ("2.125", "1", "home_score"),
    ],
)
def test_a_bad_score_is_refused_and_nothing_is_saved(badminton, school_a, organiser, home, away, field):
    rnd = group_stage(badminton, school_a, organiser)
    m = Match.objects.filter(round=rnd).first()
    with pytest.raises(InvalidInput) as e:
        services.record_match_result(actor=organiser, org=school_a, match=m, home_score=home, away_score=away)
    assert field in e.value.fields
    m.refresh_from_db()
    assert m.home_score is None


def test_a_knockout_match_must_have_a_winner(badminton, school_a, organiser):
    final = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="决赛", kind="knockout"
    )
    a, b = Entry.objects.filter(competition=badminton)[:2]
    m = services.add_match(actor=organiser, org=school_a, round=final, home=a, away=b)
    with pytest.raises(InvalidInput) as e:
        services.record_match_result(actor=organiser, org=school_a, match=m, home_score=1, away_score=1)
    assert "必须分出胜负" in e.value.fields["away_score"]
    with pytest.raises(InvalidInput):
        services.add_match(actor=organiser, org=school_a, round=final, home=a, away=a)


def test_a_group_match_must_be_within_a_group(badminton, school_a, organiser):
    rnd = group_stage(badminton, school_a, organiser)
    entries = list(Entry.objects.filter(competition=badminton))
    a = entries[0]
    b = next(e for e in entries if e.division_id != a.division_id)
    with pytest.raises(InvalidInput):
        services.add_match(actor=organiser, org=school_a, round=rnd, home=a, away=b)


def tug_of_war(make_competition, school_a, organiser, players):
    comp = make_competition(title="拔河比赛", sport="拔河", entry_kind="team")
    teams = [
        services.add_entry(
            actor=organiser, org=school_a, competition=comp, members=[p.pk for p in players[i::3]], name=n
        )
        for i, n in enumerate(["语文组队", "数学组队", "英语组队"])
    ]
    return comp, teams


def test_scores_are_saved_all_or_nothing(make_competition, school_a, organiser, players):
    comp, teams = tug_of_war(make_competition, school_a, organiser, players)
    rnd = services.add_round(actor=organiser, org=school_a, competition=comp, name="决赛", kind="placings")
    with pytest.raises(InvalidInput) as e:
        services.record_scores(
            actor=organiser, org=school_a, round=rnd, values={str(teams[0].pk): "1", str(teams[1].pk): "第二"}
        )
    assert f"entry_{teams[1].pk}" in e.value.fields and "未保存任何内容" in e.value.message
    assert not Score.objects.exists()
    with pytest.raises(InvalidInput):
        services.record_scores(actor=organiser, org=school_a, round=rnd, values={str(teams[0].pk): "1.5"})
    services.record_scores(
        actor=organiser,
        org=school_a,
        round=rnd,
        values={str(teams[0].pk): "2", str(teams[1].pk): "1", str(teams[2].pk): "2"},
    )
    view = selectors.overview(comp)
    assert [(s.entry.name, s.place) for s in view.ranking] == [
        ("数学组队", 1),
        ("英语组队", 2),
        ("语文组队", 2),
    ]
    # A blank removes a score.
    services.record_scores(actor=organiser, org=school_a, round=rnd, values={str(teams[2].pk): ""})
    assert Score.objects.filter(round=rnd).count() == 2


def test_lower_is_better_for_times(make_competition, school_a, organiser, players):
    comp = make_competition(title="环山步行比赛", sport="步行", higher_is_better=False, unit="分钟")
    entries = [
        services.add_entry(actor=organiser, org=school_a, competition=comp, members=[p.pk])
        for p in players[:3]
    ]
    rnd = services.add_round(actor=organiser, org=school_a, competition=comp, name="决赛", kind="scores")
    services.record_scores(
        actor=organiser,
        org=school_a,
        round=rnd,
        values={str(e.pk): v for e, v in zip(entries, ["48.5", "41.2", "55"], strict=True)},
    )
    assert [s.entry.pk for s in selectors.overview(comp).ranking] == [
        entries[1].pk,
        entries[0].pk,
        entries[2].pk,
    ]


def test_prizes_beyond_the_share_of_participants_are_refused_naming_the_rule(badminton, school_a, organiser):
    with pytest.raises(DomainError) as e:
        services.set_prizes(
            actor=organiser,
            org=school_a,
            competition=badminton,
            tiers=[("一等奖", 2), ("二等奖", 3), ("三等奖", 4)],
        )
    message = e.value.message
    assert e.value.code == "prize_rule"
    assert (
        "9" in message
        and "2/3" in message
        and "最多 8 人获奖" in message
        and "总工办发〔2017〕32号" in message
    )
    assert not PrizeTier.objects.exists()
    services.set_prizes(
        actor=organiser,
        org=school_a,
        competition=badminton,
        tiers=[("一等奖", 2), ("二等奖", 2), ("三等奖", 4)],
    )
    assert PrizeTier.objects.count() == 3


def test_the_schools_own_share_is_used(badminton, school_a, chair_a, organiser):
    set_org_value(
        actor=chair_a, org=school_a, key="funds.prize_max_share", text="1/3", source="县教育工会通知"
    )
    with pytest.raises(DomainError) as e:
        services.set_prizes(actor=organiser, org=school_a, competition=badminton, tiers=[("一等奖", 5)])
    assert "1/3" in e.value.message and "最多 4 人获奖" in e.value.message


def test_award_from_the_ranking_and_results_are_frozen(badminton, school_a, organiser):
    final = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="决赛", kind="placings"
    )
    entries = list(Entry.objects.filter(competition=badminton).order_by("id"))
    services.record_scores(
        actor=organiser,
        org=school_a,
        round=final,
        values={str(e.pk): str(i + 1) for i, e in enumerate(entries)},
    )
    services.set_prizes(
        actor=organiser,
        org=school_a,
        competition=badminton,
        tiers=[("一等奖", 1), ("二等奖", 2), ("三等奖", 3), ("优胜奖", 2)],
    )
    allocation = services.award_from_ranking(actor=organiser, org=school_a, competition=badminton)
    got = {a.entry_id: (a.tier.name, a.place) for a in Award.objects.select_related("tier")}
    assert len(got) == 8 == allocation.winners
    assert got[entries[0].pk] == ("一等奖", 1)
    assert got[entries[2].pk] == ("二等奖", 3)
    assert got[entries[7].pk] == ("优胜奖", 8)
    assert entries[8].pk not in got
    with pytest.raises(Conflict):
        services.record_scores(actor=organiser, org=school_a, round=final, values={str(entries[0].pk): "9"})
    with pytest.raises(Conflict):
        services.award_from_ranking(actor=organiser, org=school_a, competition=badminton)
    services.revoke_awards(actor=organiser, org=school_a, competition=badminton)
    assert not Award.objects.exists()
    services.record_scores(actor=organiser, org=school_a, round=final, values={str(entries[0].pk): "9"})


def test_a_team_award_counts_the_people_in_the_team(make_competition, school_a, organiser, players):
    comp, teams = tug_of_war(make_competition, school_a, organiser, players)
    rnd = services.add_round(actor=organiser, org=school_a, competition=comp, name="决赛", kind="placings")
    services.record_scores(
        actor=organiser, org=school_a, round=rnd, values={str(t.pk): str(i + 1) for i, t in enumerate(teams)}
    )
    services.set_prizes(actor=organiser, org=school_a, competition=comp, tiers=[("一等奖", 1), ("二等奖", 1)])
    allocation = services.award_from_ranking(actor=organiser, org=school_a, competition=comp)
    assert allocation.winners == 8  # 2 teams of 4 out of 12 people: 2/3 exactly
    assert Award.objects.count() == 2


def test_awarding_without_results_or_tiers_is_refused(badminton, school_a, organiser):
    with pytest.raises(DomainError, match="奖项"):
        services.award_from_ranking(actor=organiser, org=school_a, competition=badminton)
    services.set_prizes(actor=organiser, org=school_a, competition=badminton, tiers=[("一等奖", 1)])
    with pytest.raises(DomainError, match="还没有比赛结果"):
        services.award_from_ranking(actor=organiser, org=school_a, competition=badminton)


def test_an_entry_with_results_cannot_be_removed(badminton, school_a, organiser):
    rnd = group_stage(badminton, school_a, organiser)
    m = Match.objects.filter(round=rnd).first()
    with pytest.raises(Conflict):
        services.remove_entry(actor=organiser, org=school_a, competition=badminton, entry=m.home)
    spare = services.add_entry(
        actor=organiser,
        org=school_a,
        competition=badminton,
        members=[MemberFactory(org=school_a, name="替补").pk],
    )
    services.remove_entry(actor=organiser, org=school_a, competition=badminton, entry=spare)
    assert not Entry.objects.filter(pk=spare.pk).exists()


def test_the_full_badminton_tournament_in_four_groups(badminton, school_a, organiser):
    """分四组小组循环, the group winners play semi-finals and a final."""
    rnd = group_stage(badminton, school_a, organiser)
    for m in Match.objects.filter(round=rnd).order_by("id"):
        # The entry entered first wins: a known order to check against.
        home_first = m.home_id < m.away_id
        services.record_match_result(
            actor=organiser,
            org=school_a,
            match=m,
            home_score=2 if home_first else 0,
            away_score=0 if home_first else 2,
        )
    view = selectors.overview(badminton)
    winners = sorted(min(e.pk for e in view.entries if e.division_id == d.pk) for d in view.divisions)
    assert sorted(s.entry.pk for s in view.ranking if s.place == 1) == winners
    semi = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="半决赛", kind="knockout"
    )
    e = {x.pk: x for x in view.entries}
    s1 = services.add_match(actor=organiser, org=school_a, round=semi, home=e[winners[0]], away=e[winners[1]])
    s2 = services.add_match(actor=organiser, org=school_a, round=semi, home=e[winners[2]], away=e[winners[3]])
    services.record_match_result(actor=organiser, org=school_a, match=s1, home_score=2, away_score=1)
    services.record_match_result(actor=organiser, org=school_a, match=s2, home_score=0, away_score=2)
    final = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="决赛", kind="knockout"
    )
    f = services.add_match(actor=organiser, org=school_a, round=final, home=e[winners[0]], away=e[winners[3]])
    services.record_match_result(actor=organiser, org=school_a, match=f, home_score=1, away_score=2)
    places = {s.entry.pk: s.place for s in selectors.overview(badminton).ranking}
    assert places[winners[3]] == 1 and places[winners[0]] == 2
    assert places[winners[1]] == places[winners[2]] == 3
    assert sorted(places.values()) == [1, 2, 3, 3, 5, 5, 5, 5, 9, 9, 9, 9]
    services.set_prizes(
        actor=organiser,
        org=school_a,
        competition=badminton,
        tiers=[("一等奖", 1), ("二等奖", 1), ("三等奖", 2), ("优胜奖", 4)],
    )
    allocation = services.award_from_ranking(actor=organiser, org=school_a, competition=badminton)
    assert allocation.winners == 8 and not allocation.notes
    assert Counter(Award.objects.values_list("tier__name", flat=True)) == {
        "一等奖": 1,
        "二等奖": 1,
        "三等奖": 2,
        "优胜奖": 4,
    }


def test_every_write_leaves_an_audit_row(badminton, school_a, organiser):
    group_stage(badminton, school_a, organiser)
    actions = set(AuditEvent.objects.filter(org=school_a).values_list("action", flat=True))
    assert {
        "competitions.competition.create",
        "competitions.entry.create",
        "competitions.division.draw",
        "competitions.round.create",
        "competitions.match.generate",
    } <= actions
    assert AuditEvent.objects.filter(actor=organiser, action="competitions.entry.create").count() == 12


def test_the_date_helper_is_timezone_aware(day):
    assert at(day, 9).tzinfo is not None and at(day, 9).date() == datetime.date(2026, 10, 16)
