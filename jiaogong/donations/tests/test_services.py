"""慈善捐款 through the services: totals by 工会小组, reversal, the hand-over that must match and
closes the campaign, bad input that writes nothing, and the database that keeps the money rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.donations import selectors, services
from jiaogong.donations.models import Campaign, Contribution, HandOver
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant
from jiaogong.funds.models import LedgerEntry

D = Decimal


@pytest.fixture
def day():
    return timezone.localdate()


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="kuaiji", first_name="刘会计"), school_a, "finance")


@pytest.fixture
def campaign(school_a, finance, day):
    return services.create_campaign(
        actor=finance,
        org=school_a,
        title="2026年慈善一日捐",
        beneficiary="区慈善总会",
        purpose="帮扶困难群众",
        starts_on=day - datetime.timedelta(days=20),
        ends_on=day + datetime.timedelta(days=10),
        suggested_amount="100",
    )


@pytest.fixture
def staff(school_a, group_a):
    """语文组: 张伟 and 王芳; 数学组: 李强; 赵敏 has no group; 陈老师 retired in 语文组."""
    maths = UnionGroupFactory(org=school_a, name="数学组")
    return {
        "zhang": MemberFactory(org=school_a, name="张伟", union_group=group_a),
        "wang": MemberFactory(org=school_a, name="王芳", union_group=group_a),
        "li": MemberFactory(org=school_a, name="李强", union_group=maths),
        "zhao": MemberFactory(org=school_a, name="赵敏", union_group=None),
        "chen": MemberFactory(org=school_a, name="陈老师", union_group=group_a, status="retired"),
    }


def give(finance, campaign, day, member=None, amount="100", **kwargs):
    return services.record_contribution(
        actor=finance, campaign=campaign, member=member, amount=amount, paid_on=day, method="cash", **kwargs
    )


# ---- campaigns --------------------------------------------------------------------------------------


def test_a_campaign_is_created_and_audited(campaign, finance):
    assert (campaign.title, campaign.beneficiary, campaign.suggested_amount) == (
        "2026年慈善一日捐",
        "区慈善总会",
        D("100.00"),
    )
    event = AuditEvent.objects.get(action="donations.campaign.create")
    assert event.actor == finance and event.changes["beneficiary"] == "区慈善总会"


def test_bad_campaign_input_is_refused_in_chinese_and_writes_nothing(school_a, finance, day):
    with pytest.raises(InvalidInput) as e:
        services.create_campaign(
            actor=finance,
            org=school_a,
            title=" ",
            beneficiary="",
            starts_on=day,
            ends_on=day - datetime.timedelta(days=1),
            suggested_amount="-5",
        )
    assert e.value.fields == {
        "title": "请填写活动名称。",
        "beneficiary": "请填写接收单位。",
        "ends_on": "截止日期不能早于开始日期。",
        "suggested_amount": "倡议金额应大于零。",
    }
    assert not Campaign.objects.exists() and not AuditEvent.objects.exists()


def test_a_second_campaign_with_the_same_title_is_refused(campaign, school_a, school_b, finance, day):
    with pytest.raises(InvalidInput) as e:
        services.create_campaign(
            actor=finance, org=school_a, title=campaign.title, beneficiary="x", starts_on=day, ends_on=day
        )
    assert "已有名为“2026年慈善一日捐”" in e.value.fields["title"]
    # Another school may use the same title.
    services.create_campaign(
        actor=finance, org=school_b, title=campaign.title, beneficiary="x", starts_on=day, ends_on=day
    )


# ---- contributions and totals -------------------------------------------------------------------------------


def test_totals_count_the_givers_and_break_them_down_by_group(finance, campaign, staff, day):
    give(finance, campaign, day, staff["zhang"], "100")
    give(finance, campaign, day, staff["wang"], "50.50")
    give(finance, campaign, day, staff["li"], "200")
    give(finance, campaign, day, staff["chen"], "30")
    give(finance, campaign, day, name="临聘 周师傅", amount="20")
    totals = selectors.totals(campaign)
    assert totals["total"] == D("400.50") and totals["givers"] == 5
    assert totals["average"] == D("80.10")
    # On the roll: 5 members (赵敏 not yet given); 4 of them gave.
    assert (totals["roll"], totals["from_roll"], totals["rate"]) == (5, 4, 80)
    groups = {g["group"]: g for g in totals["groups"]}
    assert [g["group"] for g in totals["groups"]] == ["数学组", "语文组", "未分组", "非会员及其他"]
    assert (groups["语文组"]["givers"], groups["语文组"]["total"], groups["语文组"]["headcount"]) == (
        3,
        D("180.50"),
        3,
    )
    assert groups["语文组"]["rate"] == 100
    assert (groups["未分组"]["givers"], groups["未分组"]["headcount"], groups["未分组"]["rate"]) == (0, 1, 0)
    assert (groups["非会员及其他"]["total"], groups["非会员及其他"]["headcount"]) == (D("20.00"), None)


def test_the_group_is_kept_as_it_was_on_the_day(finance, campaign, staff, day, school_a):
    give(finance, campaign, day, staff["zhang"])
    staff["zhang"].union_group = UnionGroupFactory(org=school_a, name="英语组")
    staff["zhang"].save()
    assert Contribution.objects.get().group_name == "语文组"


def test_a_batch_records_everyone_at_once_and_audits_each(finance, campaign, staff, day):
    made = services.record_contributions(
        actor=finance,
        campaign=campaign,
        rows=[
            {"member": staff["zhang"].pk, "amount": "100"},
            {"member": staff["wang"], "amount": "1,000"},
            {"name": "校外 刘先生", "amount": "66.6"},
        ],
        paid_on=day,
        method="wechat",
    )
    assert [(c.name, c.amount, c.method) for c in made] == [
        ("张伟", D("100.00"), "wechat"),
        ("王芳", D("1000.00"), "wechat"),
        ("校外 刘先生", D("66.60"), "wechat"),
    ]
    assert AuditEvent.objects.filter(action="donations.contribution.record").count() == 3


def test_one_bad_row_in_a_batch_writes_nothing(finance, campaign, staff, school_b, day):
    stranger = MemberFactory(org=school_b, name="外校人")
    with pytest.raises(InvalidInput) as e:
        services.record_contributions(
            actor=finance,
            campaign=campaign,
            rows=[
                {"member": staff["zhang"].pk, "amount": "100"},
                {"member": staff["wang"].pk, "amount": "五十"},
                {"member": staff["li"].pk, "amount": "0"},
                {"member": staff["zhang"].pk, "amount": "10"},
                {"member": stranger.pk, "amount": "10"},
                {"name": "", "amount": "10"},
                {"member": staff["chen"].pk, "amount": "10.005"},
            ],
            paid_on=day,
            method="cash",
        )
    assert e.value.fields == {
        "2.amount": "王芳的金额应填写数字（元），例如 100 或 50.00。",
        "3.amount": "李强的金额应大于零。",
        "4.member": "张伟 重复填写了。",
        "5.member": "第 5 行：没有找到该会员。",
        "6.member": "第 6 行：请选择会员，或填写非会员捐款人的姓名。",
        "7.amount": "陈老师的金额最多保留两位小数。",
    }
    assert not Contribution.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="donations.contribution").exists()


def test_a_member_gives_once_a_campaign(finance, campaign, staff, day):
    give(finance, campaign, day, staff["zhang"], "100")
    with pytest.raises(InvalidInput) as e:
        give(finance, campaign, day, staff["zhang"], "50")
    assert e.value.fields["member"] == "张伟 已登记捐款 100.00 元；金额有误的，请先冲销原记录再重新登记。"
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("shift", "method", "field", "message"),
    [
        (1, "cash", "paid_on", "捐款日期不能晚于今天。"),
        (-21, "cash", "paid_on", "捐款日期不能早于活动开始日期"),
        (0, "gold", "method", "请选择捐款方式"),
    ],
)
def test_dates_and_methods_are_checked(finance, campaign, staff, day, shift, method, field, message):
    with pytest.raises(InvalidInput) as e:
        services.record_contribution(
            actor=finance,
            campaign=campaign,
            member=staff["zhang"],
            amount="10",
            paid_on=day + datetime.timedelta(days=shift),
            method=method,
        )
    assert e.value.fields[field].startswith(message)
    assert not Contribution.objects.exists()


def test_a_reversal_cancels_a_contribution_and_cites_it(finance, campaign, staff, day):
    wrong = give(finance, campaign, day, staff["zhang"], "1000")
    give(finance, campaign, day, staff["wang"], "100")
    reversal = services.reverse_contribution(
        actor=finance, contribution=wrong, reason="应为 100 元，多写了一个零"
    )
    assert (reversal.amount, reversal.reverses, reversal.name, reversal.group_name) == (
        D("-1000.00"),
        wrong,
        "张伟",
        "语文组",
    )
    assert "多写了一个零" in reversal.memo
    assert selectors.totals(campaign)["total"] == D("100.00")
    assert selectors.totals(campaign)["givers"] == 1
    # The member may now be recorded again, with the right amount.
    give(finance, campaign, day, staff["zhang"], "100")
    totals = selectors.totals(campaign)
    assert (totals["total"], totals["givers"]) == (D("200.00"), 2)
    wrong.refresh_from_db()
    assert wrong.amount == D("1000.00")  # the original stays as written
    event = AuditEvent.objects.get(action="donations.contribution.reverse")
    assert event.changes["reverses"] == wrong.pk


def test_a_contribution_is_reversed_once_and_a_reversal_never(finance, campaign, staff, day):
    wrong = give(finance, campaign, day, staff["zhang"])
    reversal = services.reverse_contribution(actor=finance, contribution=wrong, reason="记错人")
    with pytest.raises(Conflict) as e:
        services.reverse_contribution(actor=finance, contribution=wrong, reason="再冲一次")
    assert e.value.code == "already_reversed"
    with pytest.raises(Conflict) as e:
        services.reverse_contribution(actor=finance, contribution=reversal, reason="x")
    assert e.value.code == "is_reversal"
    with pytest.raises(InvalidInput):
        services.reverse_contribution(
            actor=finance, contribution=give(finance, campaign, day, staff["li"]), reason=""
        )
    assert Contribution.objects.count() == 3


# ---- the hand-over ---------------------------------------------------------------------------------------


def test_the_hand_over_must_be_the_collected_total(finance, campaign, staff, day):
    give(finance, campaign, day, staff["zhang"], "100")
    give(finance, campaign, day, staff["wang"], "50")
    with pytest.raises(InvalidInput) as e:
        services.hand_over(
            actor=finance,
            campaign=campaign,
            handed_on=day,
            recipient="区慈善总会",
            amount="140",
            receipt_number="",
        )
    assert e.value.fields["amount"].startswith(
        "移交金额应等于已收捐款合计 150.00 元（2 人），而不是 140.00 元"
    )
    assert e.value.fields["receipt_number"] == "请填写收据编号。"
    assert not HandOver.objects.exists()
    record = services.hand_over(
        actor=finance,
        campaign=campaign,
        handed_on=day,
        recipient="区慈善总会",
        amount="150.00",
        receipt_number="CS2026-0418",
        note="转账至区慈善总会账户",
    )
    assert (record.amount, record.givers, record.handed_by) == (D("150.00"), 2, finance)
    assert AuditEvent.objects.filter(action="donations.campaign.hand_over", object_id=str(record.pk)).exists()


def test_after_the_hand_over_the_campaign_is_closed(finance, campaign, staff, day):
    first = give(finance, campaign, day, staff["zhang"], "100")
    services.hand_over(
        actor=finance,
        campaign=campaign,
        handed_on=day,
        recipient="区慈善总会",
        amount="100",
        receipt_number="1",
    )
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.is_closed
    with pytest.raises(Conflict) as e:
        give(finance, campaign, day, staff["wang"], "50")
    assert e.value.code == "closed"
    assert e.value.message == (
        f"“2026年慈善一日捐”的捐款已于 {day:%Y-%m-%d} 移交区慈善总会，活动已结束，不能再登记捐款。"
    )
    with pytest.raises(Conflict):
        services.record_contributions(
            actor=finance,
            campaign=campaign,
            rows=[{"member": staff["li"].pk, "amount": "1"}],
            paid_on=day,
            method="cash",
        )
    with pytest.raises(Conflict, match="不能再冲销"):
        services.reverse_contribution(actor=finance, contribution=first, reason="x")
    with pytest.raises(Conflict, match="不能再移交"):
        services.hand_over(
            actor=finance,
            campaign=campaign,
            handed_on=day,
            recipient="区慈善总会",
            amount="100",
            receipt_number="2",
        )
    assert Contribution.objects.count() == 1 and HandOver.objects.count() == 1


def test_nothing_collected_is_not_handed_over(finance, campaign, day):
    with pytest.raises(Conflict) as e:
        services.hand_over(
            actor=finance,
            campaign=campaign,
            handed_on=day,
            recipient="区慈善总会",
            amount="0",
            receipt_number="1",
        )
    assert e.value.code == "nothing_collected"


def test_the_hand_over_is_not_dated_before_the_last_contribution(finance, campaign, staff, day):
    give(finance, campaign, day, staff["zhang"], "100")
    with pytest.raises(InvalidInput) as e:
        services.hand_over(
            actor=finance,
            campaign=campaign,
            handed_on=day - datetime.timedelta(days=1),
            recipient="区慈善总会",
            amount="100",
            receipt_number="1",
        )
    assert "不能早于最后一笔捐款" in e.value.fields["handed_on"]


# ---- a separate account, kept by the database ------------------------------------------------------------


def test_donations_never_touch_the_union_ledger(finance, campaign, staff, day):
    give(finance, campaign, day, staff["zhang"], "100")
    services.hand_over(
        actor=finance,
        campaign=campaign,
        handed_on=day,
        recipient="区慈善总会",
        amount="100",
        receipt_number="1",
    )
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("table", ["donations_contribution", "donations_handover"])
def test_the_database_refuses_to_change_or_remove_the_money_rows(finance, campaign, staff, day, table):
    give(finance, campaign, day, staff["zhang"], "100")
    services.hand_over(
        actor=finance,
        campaign=campaign,
        handed_on=day,
        recipient="区慈善总会",
        amount="100",
        receipt_number="1",
    )
    model = {"donations_contribution": Contribution, "donations_handover": HandOver}[table]
    before = list(model.objects.values())
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        model.objects.update(amount=1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        model.objects.all().delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(f"DELETE FROM {table}")
    assert list(model.objects.values()) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gifts=st.lists(
        st.tuples(st.decimals(min_value="0.01", max_value="5000", places=2), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_the_total_is_what_stands_after_reversals(finance, campaign, school_a, day, gifts):
    """Whatever is given and reversed, the total and the givers are those of the standing rows."""
    with transaction.atomic():
        campaign = Campaign.objects.create(
            org=school_a,
            title=f"捐款 {Campaign.objects.count()}",
            beneficiary="区慈善总会",
            starts_on=day,
            ends_on=day,
            created_by=finance,
        )
        for i, (amount, reversed_) in enumerate(gifts):
            c = give(finance, campaign, day, name=f"捐款人{i}", amount=str(amount))
            if reversed_:
                services.reverse_contribution(actor=finance, contribution=c, reason="测试")
        standing = [amount for amount, reversed_ in gifts if not reversed_]
        totals = selectors.totals(campaign)
        assert totals["total"] == sum(standing, D("0.00"))
        assert totals["givers"] == len(standing)
        assert sum((g["total"] for g in totals["groups"]), D("0.00")) == totals["total"]
