"""兴趣小组 writes: joining, the leader election (one vote each by the database, ties refused),
the plan and sessions, budget request → approval → spending against it through the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.activities.models import Activity
from jiaogong.clubs import selectors, services
from jiaogong.clubs.models import Budget, Club, Election, Membership, Spending, Vote
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory
from jiaogong.funds.models import LedgerEntry

from .conftest import LINES


def test_a_club_name_is_unique_in_a_school(club_a, school_a, sports_a):
    with pytest.raises(InvalidInput) as e:
        services.create_club(actor=sports_a, org=school_a, name=" 教师书画社 ")
    assert "已有" in e.value.fields["name"]
    assert Club.objects.count() == 1


def test_a_member_joins_once_and_leaves(club_a, member_a):
    services.join(actor=member_a, club=club_a, member=member_a.member)
    with pytest.raises(Conflict):
        services.join(actor=member_a, club=club_a, member=member_a.member)
    services.leave(actor=member_a, club=club_a, member=member_a.member)
    assert selectors.members_of(club_a) == []
    services.join(actor=member_a, club=club_a, member=member_a.member)
    assert Membership.objects.filter(club=club_a).count() == 2
    assert AuditEvent.objects.filter(action="clubs.member.join").count() == 2


def test_the_database_holds_one_current_membership(club_a, member_a):
    services.join(actor=member_a, club=club_a, member=member_a.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(org=club_a.org, club=club_a, member=member_a.member)


def test_another_schools_member_cannot_join(club_a, school_b, outsider_b):
    with pytest.raises(DomainError):
        services.join(actor=outsider_b, club=club_a, member=MemberFactory(org=school_b))
    assert not Membership.objects.exists()


def test_the_leader_is_who_the_members_chose(led_club, members_in):
    assert led_club.leader == members_in["li"].member
    election = Election.objects.get()
    assert election.status == "confirmed" and election.winner == members_in["li"].member
    assert AuditEvent.objects.filter(action="clubs.election.confirm").exists()


def test_a_second_vote_is_refused_by_the_database(club_a, members_in, sports_a):
    election = services.open_election(actor=sports_a, club=club_a)
    zhang = members_in["zhang"].member
    services.cast_vote(actor=members_in["zhang"], election=election, voter=zhang, candidate_id=zhang.pk)
    with pytest.raises(Conflict) as e:
        services.cast_vote(
            actor=members_in["zhang"], election=election, voter=zhang, candidate_id=members_in["li"].member.pk
        )
    assert "已经投过票" in e.value.message
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(org=club_a.org, election=election, voter=zhang, candidate=zhang)
    assert Vote.objects.get().candidate == zhang


def test_only_club_members_vote_and_only_for_club_members(club_a, members_in, sports_a, school_a, chair_a):
    election = services.open_election(actor=sports_a, club=club_a)
    stranger = MemberFactory(org=school_a, name="钱七")
    with pytest.raises(DomainError):
        services.cast_vote(
            actor=chair_a, election=election, voter=stranger, candidate_id=members_in["li"].member.pk
        )
    with pytest.raises(InvalidInput):
        services.cast_vote(
            actor=members_in["li"], election=election, voter=members_in["li"].member, candidate_id=stranger.pk
        )
    with pytest.raises(InvalidInput):
        services.cast_vote(
            actor=members_in["li"], election=election, voter=members_in["li"].member, candidate_id="abc"
        )
    assert not Vote.objects.exists()


def test_a_tie_is_refused_with_the_names_and_no_leader_is_set(club_a, members_in, sports_a, chair_a):
    election = services.open_election(actor=sports_a, club=club_a)
    zhang, li = members_in["zhang"].member, members_in["li"].member
    services.cast_vote(actor=members_in["zhang"], election=election, voter=zhang, candidate_id=zhang.pk)
    services.cast_vote(actor=members_in["li"], election=election, voter=li, candidate_id=li.pk)
    with pytest.raises(DomainError) as e:
        services.confirm_election(actor=chair_a, election=election)
    assert (
        e.value.code == "tie"
        and "张三" in e.value.message
        and "李四" in e.value.message
        and "1 票" in e.value.message
    )
    club_a.refresh_from_db()
    assert club_a.leader is None
    election.refresh_from_db()
    assert election.status == "open"
    services.cancel_election(actor=sports_a, election=election)
    assert services.open_election(actor=sports_a, club=club_a).status == "open"


def test_only_the_chair_or_a_vice_chair_confirms(club_a, members_in, sports_a, vice_a):
    election = services.open_election(actor=sports_a, club=club_a)
    li = members_in["li"].member
    services.cast_vote(actor=members_in["li"], election=election, voter=li, candidate_id=li.pk)
    with pytest.raises(PermissionDenied):
        services.confirm_election(actor=sports_a, election=election)
    services.confirm_election(actor=vice_a, election=election)
    club_a.refresh_from_db()
    assert club_a.leader == li


def test_one_open_election_at_a_time(club_a, members_in, sports_a):
    services.open_election(actor=sports_a, club=club_a)
    with pytest.raises(Conflict):
        services.open_election(actor=sports_a, club=club_a)


def test_a_vote_of_someone_who_left_no_longer_counts(club_a, members_in, sports_a, chair_a):
    election = services.open_election(actor=sports_a, club=club_a)
    zhang, li, zhao = (members_in[k].member for k in ("zhang", "li", "zhao"))
    services.cast_vote(actor=members_in["zhang"], election=election, voter=zhang, candidate_id=zhang.pk)
    services.cast_vote(actor=members_in["zhao"], election=election, voter=zhao, candidate_id=zhang.pk)
    services.cast_vote(actor=members_in["li"], election=election, voter=li, candidate_id=li.pk)
    services.leave(actor=members_in["zhao"], club=club_a, member=zhao)
    with pytest.raises(DomainError) as e:
        services.confirm_election(actor=chair_a, election=election)
    assert e.value.code == "tie"


def test_a_leader_who_leaves_is_no_longer_leader(led_club, members_in):
    services.leave(actor=members_in["li"], club=led_club, member=members_in["li"].member)
    led_club.refresh_from_db()
    assert led_club.leader is None


def test_the_leader_writes_the_plan_and_a_plain_member_may_not(led_club, members_in):
    plan = services.save_plan(actor=members_in["li"], club=led_club, year=2026, text="每周三下午活动一次。")
    services.save_plan(actor=members_in["li"], club=led_club, year="2026", text="每周三、周五下午活动。")
    plan.refresh_from_db()
    assert plan.text == "每周三、周五下午活动。"
    with pytest.raises(PermissionDenied):
        services.save_plan(actor=members_in["zhang"], club=led_club, year=2026, text="改掉")
    with pytest.raises(InvalidInput):
        services.save_plan(actor=members_in["li"], club=led_club, year=1900, text="")


def test_a_session_is_a_club_activity(led_club, members_in):
    tz = timezone.get_current_timezone()
    session = services.add_session(
        actor=members_in["li"],
        club=led_club,
        title="书法临帖练习",
        starts_at=datetime.datetime(2026, 12, 2, 16, 20, tzinfo=tz),
        ends_at=datetime.datetime(2026, 12, 2, 17, 0, tzinfo=tz),
        location="美术室",
        rrule="FREQ=WEEKLY",
    )
    assert session.activity.kind == Activity.Kind.CLUB and session.activity.rrule == "FREQ=WEEKLY"
    assert list(selectors.sessions_of(led_club, 2026)) == [session]


def test_a_bad_session_writes_no_activity(led_club, members_in):
    tz = timezone.get_current_timezone()
    with pytest.raises(InvalidInput):
        services.add_session(
            actor=members_in["li"],
            club=led_club,
            title="",
            starts_at=datetime.datetime(2026, 12, 2, 17, 0, tzinfo=tz),
            ends_at=datetime.datetime(2026, 12, 2, 16, 0, tzinfo=tz),
        )
    assert not Activity.objects.exists()


def test_the_leader_requests_a_budget_that_sums_its_lines(budget_a):
    assert budget_a.requested == Decimal("2000.00") and budget_a.status == "pending"
    assert budget_a.lines == [
        {"item": "宣纸、墨汁", "amount": "800.00"},
        {"item": "外请书法老师讲座", "amount": "1200.00"},
    ]


def test_a_plain_member_cannot_request_a_budget(led_club, members_in):
    with pytest.raises(PermissionDenied):
        services.request_budget(actor=members_in["zhang"], club=led_club, year=2026, lines=LINES)


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "lines"),
        ([{"item": "", "amount": "100"}], "lines.1"),
        ([{"item": "纸", "amount": "-5"}], "lines.1"),
        ([{"item": "纸", "amount": "1.234"}], "lines.1"),
        ([{"item": "纸", "amount": "一百"}], "lines.1"),
    ],
)
def test_bad_budget_lines_are_refused_and_nothing_is_written(led_club, members_in, lines, field):
    with pytest.raises(InvalidInput) as e:
        services.request_budget(actor=members_in["li"], club=led_club, year=2026, lines=lines)
    assert field in e.value.fields
    assert not Budget.objects.exists()


def test_one_live_budget_a_year_until_refused(budget_a, members_in, chair_a, led_club):
    with pytest.raises(Conflict):
        services.request_budget(actor=members_in["li"], club=led_club, year=2026, lines=LINES)
    services.refuse_budget(actor=chair_a, budget=budget_a, reason="先报详细方案")
    again = services.request_budget(actor=members_in["li"], club=led_club, year=2026, lines=LINES[:1])
    assert again.requested == Decimal("800.00")
    assert selectors.budget_of(led_club, 2026) == again


def test_approval_for_less_than_asked(approved_a):
    assert approved_a.status == "approved" and approved_a.approved == Decimal("1500.00")
    assert AuditEvent.objects.filter(action="clubs.budget.approve", object_id=str(approved_a.pk)).exists()


def test_approval_above_the_request_or_by_a_wrong_role_is_refused(budget_a, chair_a, sports_a, finance_a):
    with pytest.raises(InvalidInput) as e:
        services.approve_budget(actor=chair_a, budget=budget_a, amount="2000.01")
    assert "不能超过申请金额 2000.00 元" in e.value.fields["amount"]
    for user in (sports_a, finance_a):
        with pytest.raises(PermissionDenied):
            services.approve_budget(actor=user, budget=budget_a)
    budget_a.refresh_from_db()
    assert budget_a.status == "pending" and budget_a.approved is None


def test_a_refusal_needs_a_reason_and_a_decision_is_final(budget_a, chair_a):
    with pytest.raises(InvalidInput):
        services.refuse_budget(actor=chair_a, budget=budget_a, reason=" ")
    services.refuse_budget(actor=chair_a, budget=budget_a, reason="本年度经费紧张")
    with pytest.raises(Conflict):
        services.approve_budget(actor=chair_a, budget=budget_a)


def test_spending_posts_a_voucher_under_wenti_and_counts_against_the_budget(approved_a, finance_a, frozen):
    spending = services.record_spending(
        actor=finance_a,
        budget=approved_a,
        date=frozen,
        amount="600",
        memo="购买宣纸、墨汁",
        payee="县文化用品店",
    )
    entry = spending.ledger_entry
    assert (entry.kind, entry.category, entry.subcategory, entry.amount) == (
        "expense",
        "职工活动支出",
        "文体活动",
        Decimal("600.00"),
    )
    assert entry.memo == "教师书画社：购买宣纸、墨汁" and entry.payee == "县文化用品店"
    figures = selectors.figures(approved_a)
    assert (figures.approved, figures.spent, figures.left) == (
        Decimal("1500.00"),
        Decimal("600.00"),
        Decimal("900.00"),
    )


def test_spending_beyond_what_is_left_is_refused_with_the_figures(approved_a, finance_a, frozen):
    services.record_spending(actor=finance_a, budget=approved_a, date=frozen, amount="1000", memo="讲座")
    with pytest.raises(DomainError) as e:
        services.record_spending(
            actor=finance_a, budget=approved_a, date=frozen, amount="500.01", memo="装裱"
        )
    assert e.value.code == "over_budget"
    assert "批准 1500.00 元" in e.value.message and "已支出 1000.00 元" in e.value.message
    assert "剩余 500.00 元" in e.value.message and "本次 500.01 元" in e.value.message
    assert LedgerEntry.objects.count() == 1 and Spending.objects.count() == 1
    services.record_spending(actor=finance_a, budget=approved_a, date=frozen, amount="500", memo="装裱")
    assert selectors.figures(approved_a).left == Decimal("0.00")


def test_no_spending_before_approval_or_by_anyone_but_finance(budget_a, chair_a, finance_a, frozen):
    with pytest.raises(Conflict):
        services.record_spending(actor=finance_a, budget=budget_a, date=frozen, amount="10", memo="纸")
    services.approve_budget(actor=chair_a, budget=budget_a)
    with pytest.raises(PermissionDenied):
        services.record_spending(actor=chair_a, budget=budget_a, date=frozen, amount="10", memo="纸")
    assert not LedgerEntry.objects.exists()


def test_bad_spending_input_writes_nothing(approved_a, finance_a, frozen):
    with pytest.raises(InvalidInput) as e:
        services.record_spending(
            actor=finance_a, budget=approved_a, date=datetime.date(2025, 12, 1), amount="0", memo=""
        )
    assert set(e.value.fields) == {"date", "amount", "memo"}
    assert not LedgerEntry.objects.exists() and not Spending.objects.exists()


def test_a_banned_use_waits_for_the_finance_members_own_confirmation(approved_a, finance_a, frozen):
    """八不准: the club's spending does not confirm the ledger's warning on the caller's behalf."""
    from jiaogong.core.errors import NeedsConfirmation

    with pytest.raises(NeedsConfirmation) as e:
        services.record_spending(
            actor=finance_a, budget=approved_a, date=frozen, amount="300", memo="书法组聚餐"
        )
    assert e.value.status == 409 and "宴请" in e.value.fields["warnings"]
    assert not Spending.objects.exists() and not LedgerEntry.objects.exists()
    spending = services.record_spending(
        actor=finance_a,
        budget=approved_a,
        date=frozen,
        amount="300",
        memo="书法组聚餐",
        confirm_warnings=True,
    )
    assert spending.ledger_entry.amount == Decimal("300.00")
    assert AuditEvent.objects.get(action="funds.entry.create").changes["warnings_confirmed"]
