"""慰问 through the caps service: the caps in force, refusals with the rule, the chair's override."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.rules import RULES, set_org_value
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import benefits, caps
from jiaogong.funds.models import Benefit, LedgerEntry

D = Decimal
SPRING = datetime.date(2026, 2, 12)
AUTUMN = datetime.date(2026, 9, 24)


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(), school_a, "finance")


@pytest.fixture
def teacher(school_a):
    return MemberFactory(org=school_a, name="李老师")


@pytest.fixture
def chair(school_a):
    return grant(UserFactory(), school_a, "chair")


def test_the_catalogue_default_forms_are_the_engine_defaults():
    assert {
        k: frozenset(v) for k, v in RULES["caps.allowed_forms"].default.items()
    } == caps.DEFAULT_ALLOWED_FORMS


def test_the_caps_in_force_follow_the_province(school_a):
    assert benefits.caps_in_force(school_a).festival_total == D("1500.00")
    school_a.province = "江苏"
    school_a.save()
    jiangsu = benefits.caps_in_force(school_a)
    assert (jiangsu.festival_total, jiangsu.festival_each["春节"], jiangsu.birthday) == (
        D("1800.00"),
        D("800.00"),
        D("400.00"),
    )


def test_festival_gifts_add_up_and_the_one_over_is_refused_with_the_rule(school_a, finance, teacher):
    benefits.give(
        actor=finance,
        org=school_a,
        member=teacher,
        kind="festival",
        festival="春节",
        form="goods",
        amount="800",
        date=SPRING,
    )
    with pytest.raises(DomainError) as e:
        benefits.give(
            actor=finance,
            org=school_a,
            member=teacher,
            kind="festival",
            festival="中秋",
            form="goods",
            amount="700.01",
            date=AUTUMN,
        )
    assert e.value.code == "cap_exceeded" and e.value.status == 422
    assert "节日慰问全年合计不超过 1500.00 元，本年已发 800.00 元，还可发 700.00 元" in e.value.message
    assert e.value.extra["remaining"] == "700.00"
    assert Benefit.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_cash_for_a_festival_is_refused_even_for_the_chair(school_a, chair, teacher):
    with pytest.raises(DomainError) as e:
        benefits.give(
            actor=chair,
            org=school_a,
            member=teacher,
            kind="festival",
            festival="端午",
            form="cash",
            amount="100",
            date=datetime.date(2026, 6, 19),
            override_reason="主席同意",
        )
    assert e.value.code == "form_not_allowed"
    assert "节日慰问不得发放现金、购物卡或代金券" in e.value.message
    assert not Benefit.objects.exists()


def test_a_recorded_benefit_books_its_expense_in_the_right_line(school_a, finance, teacher):
    b = benefits.give(
        actor=finance,
        org=school_a,
        member=teacher,
        kind="hospital",
        form="cash",
        amount="1000",
        date=datetime.date(2026, 11, 2),
    )
    assert (b.entry.category, b.entry.subcategory, b.entry.amount, b.entry.payee) == (
        "维权支出",
        "送温暖",
        D("1000.00"),
        teacher.name,
    )
    birthday = benefits.give(
        actor=finance,
        org=school_a,
        member=teacher,
        kind="birthday",
        form="cake_voucher",
        amount="200",
        date=SPRING,
    )
    assert (birthday.entry.category, birthday.entry.subcategory) == ("职工活动支出", "集体福利")


def test_only_the_chair_overrides_a_cap_and_the_reason_is_kept(school_a, finance, chair, teacher):
    kwargs = dict(
        org=school_a, member=teacher, kind="hospital_surgery", form="cash", amount="1500", date=AUTUMN
    )
    with pytest.raises(InvalidInput) as e:
        benefits.give(actor=finance, override_reason="病情严重", **kwargs)
    assert "工会主席" in e.value.fields["override_reason"]
    b = benefits.give(actor=chair, override_reason="重大手术，经工会委员会研究同意", **kwargs)
    assert b.overridden_by == chair and b.override_reason.startswith("重大手术")
    assert b.override_rule == "住院手术慰问每次不超过 1000.00 元，本次还可发 1000.00 元。"
    with pytest.raises(IntegrityError), transaction.atomic():
        Benefit.objects.filter(pk=b.pk).update(override_reason="")


def test_a_birthday_once_a_year(school_a, finance, teacher):
    last_year = datetime.date(2025, 10, 1)
    benefits.give(
        actor=finance,
        org=school_a,
        member=teacher,
        kind="birthday",
        form="goods",
        amount="300",
        date=last_year,
    )
    benefits.give(
        actor=finance,
        org=school_a,
        member=teacher,
        kind="birthday",
        form="cake_voucher",
        amount="150",
        date=SPRING,
    )
    with pytest.raises(DomainError) as e:
        benefits.give(
            actor=finance,
            org=school_a,
            member=teacher,
            kind="birthday",
            form="goods",
            amount="1",
            date=AUTUMN,
        )
    assert "每人每年一次" in e.value.message


def test_a_festival_for_everyone_is_all_or_nothing(school_a, finance):
    staff = [MemberFactory(org=school_a) for _ in range(3)]
    benefits.give(
        actor=finance,
        org=school_a,
        member=staff[0],
        kind="festival",
        festival="春节",
        form="goods",
        amount="1300",
        date=SPRING,
    )
    with pytest.raises(DomainError) as e:
        benefits.give_festival(
            actor=finance,
            org=school_a,
            members=staff,
            festival="中秋",
            form="goods",
            amount="300",
            date=AUTUMN,
        )
    assert e.value.code == "cap_exceeded"
    assert "1 人超出慰问标准" in e.value.message and staff[0].name in e.value.message
    assert Benefit.objects.count() == 1
    entry, given = benefits.give_festival(
        actor=finance,
        org=school_a,
        members=staff[1:],
        festival="中秋",
        form="goods",
        amount="300",
        date=AUTUMN,
        memo="月饼",
    )
    assert entry.amount == D("600.00") and "2 人 × 300.00 元" in entry.memo
    assert len(given) == 2 and all(b.entry_id == entry.pk for b in given)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "bonus"}, "kind"),
        ({"form": "gold"}, "form"),
        ({"amount": "0"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"festival": ""}, "festival"),
        ({"date": datetime.date(2099, 1, 1)}, "date"),
    ],
)
def test_bad_input_writes_nothing(school_a, finance, teacher, change, field):
    kwargs = dict(kind="festival", festival="中秋", form="goods", amount="100", date=AUTUMN) | change
    with pytest.raises(InvalidInput) as e:
        benefits.give(actor=finance, org=school_a, member=teacher, **kwargs)
    assert field in e.value.fields
    assert not Benefit.objects.exists() and not LedgerEntry.objects.exists()


def test_another_orgs_member_is_refused(school_a, school_b, finance):
    stranger = MemberFactory(org=school_b)
    with pytest.raises(InvalidInput):
        benefits.give(
            actor=finance,
            org=school_a,
            member=stranger,
            kind="birthday",
            form="goods",
            amount="10",
            date=SPRING,
        )


def test_a_school_override_of_the_festival_cap(school_a, finance, chair, teacher):
    set_org_value(
        actor=chair, org=school_a, key="caps.festival_total", text="1000", source="校工会委员会决定"
    )
    with pytest.raises(DomainError):
        benefits.give(
            actor=finance,
            org=school_a,
            member=teacher,
            kind="festival",
            festival="春节",
            form="goods",
            amount="1000.01",
            date=SPRING,
        )
    assert benefits.allowance(school_a, teacher, 2026)["festival_left"] == D("1000.00")


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("caps.allowed_forms", '{"festival": ["cash"]}', "节日慰问不得发放现金"),
        ("caps.allowed_forms", '{"bonus": ["goods"]}', "未知的慰问类别"),
        ("caps.allowed_forms", '{"birthday": ["gold"]}', "未知的慰问形式"),
        ("caps.festival_each", '{"春节": -5}', "不小于 0"),
        ("caps.festival_each", '{"": 100}', "缺少节日名称"),
    ],
)
def test_a_caps_table_the_engine_cannot_use_is_refused_on_the_rules_page(school_a, chair, key, text, message):
    with pytest.raises(InvalidInput) as e:
        set_org_value(actor=chair, org=school_a, key=key, text=text, source="校工会决定")
    assert message in e.value.fields["value"]
    set_org_value(
        actor=chair,
        org=school_a,
        key="caps.allowed_forms",
        text='{"retirement": ["souvenir", "goods"]}',
        source="校工会决定",
    )
    assert benefits.caps_in_force(school_a).allowed_forms["retirement"] == {"souvenir", "goods"}


def test_a_benefit_whose_memo_warns_waits_for_the_confirmation_of_the_person_giving_it(
    school_a, finance, teacher
):
    """八不准: give and give_festival pass on the confirmation they were given, never their own."""
    from jiaogong.core.errors import NeedsConfirmation

    kwargs = dict(
        actor=finance, org=school_a, member=teacher, kind="festival", festival="春节", form="goods"
    ) | dict(amount="300", date=SPRING, memo="超市购物卡一张")
    with pytest.raises(NeedsConfirmation):
        benefits.give(**kwargs)
    with pytest.raises(NeedsConfirmation):
        benefits.give_festival(
            actor=finance,
            org=school_a,
            members=[teacher],
            festival="春节",
            form="goods",
            amount="300",
            date=SPRING,
            memo="超市购物卡",
        )
    assert not LedgerEntry.objects.exists() and not Benefit.objects.exists()
    assert benefits.give(**kwargs, confirm_warnings=True).entry.amount == Decimal("300.00")
