"""困难职工档案 services: opening a file computes and keeps its category; changes, reviews, closing
and help records; bad input writes nothing; the evidence is append-only."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory
from jiaogong.funds.models import LedgerEntry
from jiaogong.hardship import selectors, services
from jiaogong.hardship.models import (
    CategoryChange,
    FileRead,
    HardshipFile,
    HelpRecord,
    HouseholdMember,
    Review,
)

D = Decimal


def counts():
    return (
        HardshipFile.objects.count(),
        HouseholdMember.objects.count(),
        CategoryChange.objects.count(),
        Review.objects.count(),
        HelpRecord.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_a_new_file_stores_its_category_with_the_inputs_it_came_from(a_file):
    assert a_file.category == "deep"
    assert a_file.per_capita_monthly == D("666.67")
    assert (a_file.relative_multiple, a_file.accident_cost_share) == (D(2), D("0.80"))
    history = a_file.category_history.get()
    assert history.category == "deep" and history.cause == "create"
    assert history.inputs["annual_income"] == "30000.00" and history.inputs["household_size"] == 3
    assert a_file.causes == ["illness", "schooling"]


def test_the_audit_row_of_a_file_keeps_health_and_the_name_out(a_file):
    event = AuditEvent.objects.get(action="hardship.file.create")
    assert "陈静" not in event.object_repr
    assert "化疗" not in str(event.changes)
    assert event.changes["annual_income"] == [None, "30000.00"]


def test_household_rows_are_saved_and_give_the_household_size(make_file, teacher):
    file = make_file(
        teacher,
        household_size="",
        household=[
            {
                "name": "王强",
                "relation": "配偶",
                "birth_year": "1983",
                "occupation": "务工",
                "annual_income": "12000",
            },
            {"name": "", "relation": ""},
            {"name": "王小雨", "relation": "女儿", "birth_year": 2012, "occupation": "学生"},
        ],
    )
    assert file.household_size == 3
    assert [(h.name, h.relation, h.birth_year) for h in file.household.all()] == [
        ("王强", "配偶", 1983),
        ("王小雨", "女儿", 2012),
    ]


def test_items_give_the_totals(make_file, teacher):
    file = make_file(
        teacher,
        annual_income="",
        rigid_expenses=None,
        income_items=[{"kind": "工资收入", "amount": "42000"}, {"kind": "配偶收入", "amount": "6000.50"}],
        expense_items=[{"kind": "医疗", "amount": "18000"}, {"kind": "教育", "amount": "3000"}],
    )
    assert (file.annual_income, file.rigid_expenses) == (D("48000.50"), D("21000.00"))


def test_a_total_that_differs_from_its_items_is_refused(make_file, teacher):
    before = counts()
    with pytest.raises(InvalidInput) as e:
        make_file(teacher, annual_income="50000", income_items=[{"kind": "工资收入", "amount": "42000"}])
    assert e.value.fields == {"annual_income": "家庭年收入应等于明细合计 42000.00 元。"}
    assert counts() == before


def test_bad_figures_are_refused_in_chinese_and_nothing_is_written(make_file, teacher):
    before = counts()
    with pytest.raises(InvalidInput) as e:
        make_file(teacher, household_size=0, annual_income="-5", dibao_monthly="", causes=["bad_luck"])
    assert e.value.fields == {
        "household_size": "家庭人口数至少为 1（职工本人）。",
        "annual_income": "家庭年收入不能为负数；没有请填 0。",
        "dibao_monthly": "请填写当地低保标准。",
        "causes": "致困原因应为：因病、因残、因灾、因意外、子女就学、单亲、失业/收入低、其他。",
    }
    assert counts() == before


def test_a_household_row_without_relation_is_refused(make_file, teacher):
    before = counts()
    with pytest.raises(InvalidInput) as e:
        make_file(teacher, household=[{"name": "王强", "birth_year": "1850"}])
    assert e.value.fields == {
        "household.1.relation": "家庭成员第 1 行：请填写与职工的关系（如 配偶、儿子、母亲）。",
        "household.1.birth_year": "家庭成员第 1 行：出生年份应为 1900 至 "
        f"{datetime.date.today().year} 之间的四位数。",
    }
    assert counts() == before


def test_household_size_below_the_rows_listed_is_refused(make_file, teacher):
    with pytest.raises(InvalidInput) as e:
        make_file(
            teacher,
            household_size=2,
            household=[{"name": "甲", "relation": "配偶"}, {"name": "乙", "relation": "儿子"}],
        )
    assert "不能少于" in e.value.fields["household_size"]


def test_a_member_of_another_school_is_refused(make_file, school_b):
    stranger = MemberFactory(org=school_b, name="外校老师")
    with pytest.raises(InvalidInput) as e:
        make_file(stranger)
    assert e.value.fields == {"member": "没有找到该职工（须为本单位名册中的人员）。"}


def test_a_second_open_file_for_the_same_member_is_refused(a_file, make_file, teacher):
    with pytest.raises(InvalidInput) as e:
        make_file(teacher)
    assert "已有未销档" in e.value.fields["member"]
    assert HardshipFile.objects.count() == 1


def test_a_change_of_figures_recomputes_the_category_and_keeps_the_history(a_file, welfare):
    file = services.update_file(actor=welfare, file=a_file, annual_income="40000")
    # (40000 − 6000) / 36 = 944.44: at least 800, below 1600
    assert (file.category, file.per_capita_monthly) == ("relative", D("944.44"))
    assert list(file.category_history.values_list("category", "cause")) == [
        ("relative", "edit"),
        ("deep", "create"),
    ]
    assert AuditEvent.objects.get(action="hardship.file.update").changes["annual_income"] == [
        "30000.00",
        "40000.00",
    ]


def test_a_change_of_text_alone_adds_no_category_history(a_file, welfare):
    services.update_file(actor=welfare, file=a_file, note="班主任反映情况属实")
    assert a_file.category_history.count() == 1
    assert (
        AuditEvent.objects.get(action="hardship.file.update").changes["note"][0] == "（已修改，内容见档案）"
    )


def test_the_parameters_in_force_are_used(school_a, chair_a, make_file, teacher):
    set_org_value(
        actor=chair_a, org=school_a, key="hardship.relative_multiple", text="3", source="县总工会通知"
    )
    # (60000 − 0) / 36 = 1666.67: none at 2 × 800, relative at 3 × 800
    file = make_file(teacher, annual_income="60000", rigid_expenses="0")
    assert (file.category, file.relative_multiple) == ("relative", D(3))


def test_a_keep_review_records_the_figures_and_category_then(a_file, welfare):
    review = services.review_file(
        actor=welfare, file=a_file, reviewed_on=datetime.date.today(), conclusion="keep"
    )
    assert (review.category, review.per_capita_monthly, review.year) == (
        "deep",
        D("666.67"),
        datetime.date.today().year,
    )
    assert review.figures["rigid_expenses"] == "6000.00"


def test_an_adjust_review_recomputes_from_the_new_figures(a_file, welfare):
    review = services.review_file(
        actor=welfare,
        file=a_file,
        reviewed_on=datetime.date.today(),
        conclusion="adjust",
        annual_income="90000",
    )
    a_file.refresh_from_db()
    assert review.category == a_file.category == "none"
    assert a_file.category_history.first().cause == "review"


def test_an_adjust_review_without_new_figures_is_refused(a_file, welfare):
    with pytest.raises(InvalidInput) as e:
        services.review_file(
            actor=welfare,
            file=a_file,
            reviewed_on=datetime.date.today(),
            conclusion="adjust",
            annual_income="30000.00",
        )
    assert "调整" in e.value.fields["conclusion"]
    assert Review.objects.count() == 0


def test_a_keep_review_with_changed_figures_is_refused(a_file, welfare):
    with pytest.raises(InvalidInput) as e:
        services.review_file(
            actor=welfare,
            file=a_file,
            reviewed_on=datetime.date.today(),
            conclusion="keep",
            household_size="4",
        )
    assert e.value.fields == {"conclusion": "数据有变化，请选择“调整”。"}


def test_a_close_review_closes_the_file_with_its_reason(a_file, welfare):
    services.review_file(
        actor=welfare,
        file=a_file,
        reviewed_on=datetime.date.today(),
        conclusion="close",
        note="爱人重新就业，收入稳定",
    )
    a_file.refresh_from_db()
    assert a_file.closed_on == datetime.date.today() and a_file.close_reason == "爱人重新就业，收入稳定"
    with pytest.raises(Conflict):
        services.record_help(
            actor=welfare,
            file=a_file,
            kind="living",
            given_on=datetime.date.today(),
            form="cash",
            amount="500",
        )


def test_a_review_in_the_future_is_refused(a_file, welfare):
    with pytest.raises(InvalidInput) as e:
        services.review_file(
            actor=welfare,
            file=a_file,
            reviewed_on=datetime.date.today() + datetime.timedelta(days=1),
            conclusion="keep",
        )
    assert e.value.fields == {"reviewed_on": "复核日期不能晚于今天。"}


def test_files_not_reviewed_this_year_are_due(school_a, make_file, teacher, welfare):
    year = datetime.date.today().year
    old = make_file(teacher, opened_on=datetime.date(year - 1, 12, 1))
    new = make_file(MemberFactory(org=school_a, name="黄丽"))
    assert list(selectors.due_for_review(school_a, year)) == [old]
    assert selectors.review_due(old, year) and not selectors.review_due(new, year)
    services.review_file(actor=welfare, file=old, reviewed_on=datetime.date.today(), conclusion="keep")
    assert list(selectors.due_for_review(school_a, year)) == []


def test_members_with_open_files_are_the_hardship_families(school_a, make_file, teacher, welfare):
    today = datetime.date.today()
    well_off = make_file(MemberFactory(org=school_a, name="富老师"), annual_income="200000")
    make_file(teacher)
    closed = make_file(MemberFactory(org=school_a, name="周敏"), annual_income="1000")
    services.close_file(actor=welfare, file=closed, closed_on=today, reason="调出本校")
    assert well_off.category == "none"
    assert list(selectors.members_with_open_files(school_a, today)) == [teacher]
    assert list(selectors.members_with_open_files(school_a, today - datetime.timedelta(days=1))) == []


# ---- help records ------------------------------------------------------------------------------------


def test_a_cash_help_is_posted_to_the_ledger_with_the_same_amount(a_file, welfare):
    help_ = services.record_help(
        actor=welfare,
        file=a_file,
        kind="medical",
        given_on=datetime.date.today(),
        form="cash",
        amount="2000.50",
    )
    entry = help_.ledger_entry
    assert (entry.kind, entry.category, entry.subcategory, entry.amount) == (
        "expense",
        "维权支出",
        "困难帮扶",
        D("2000.50"),
    )
    assert entry.account == "cash" and entry.payee == "陈静"
    assert "乳腺癌" not in entry.memo and "医疗救助" in entry.memo


def test_legal_aid_is_posted_as_legal_aid(a_file, welfare):
    help_ = services.record_help(
        actor=welfare,
        file=a_file,
        kind="legal",
        given_on=datetime.date.today(),
        form="transfer",
        amount="800",
    )
    assert (help_.ledger_entry.subcategory, help_.ledger_entry.account) == ("法律援助", "bank")


def test_employment_service_without_an_amount_posts_nothing(a_file, welfare):
    help_ = services.record_help(
        actor=welfare,
        file=a_file,
        kind="employment",
        given_on=datetime.date.today(),
        form="service",
        note="推荐爱人到园区就业",
    )
    assert help_.amount is None and help_.ledger_entry is None
    assert LedgerEntry.objects.count() == 0


def test_all_help_amounts_equal_the_ledger_entries(a_file, welfare):
    today = datetime.date.today()
    for kind, form, amount in [
        ("living", "cash", "1000"),
        ("education", "transfer", "1500"),
        ("accident", "goods", "300.30"),
    ]:
        services.record_help(actor=welfare, file=a_file, kind=kind, given_on=today, form=form, amount=amount)
    helps = HelpRecord.objects.filter(file=a_file).select_related("ledger_entry")
    assert sum(h.amount for h in helps) == sum(e.amount for e in LedgerEntry.objects.all()) == D("2800.30")
    assert all(h.amount == h.ledger_entry.amount for h in helps)


def test_cash_help_without_an_amount_is_refused_and_writes_nothing(a_file, welfare):
    before = counts()
    with pytest.raises(InvalidInput) as e:
        services.record_help(
            actor=welfare, file=a_file, kind="living", given_on=datetime.date.today(), form="cash", amount=""
        )
    assert e.value.fields == {"amount": "现金或转账帮扶请填写金额。"}
    with pytest.raises(InvalidInput) as e:
        services.record_help(
            actor=welfare, file=a_file, kind="bogus", given_on=None, form="cash", amount="-3"
        )
    assert set(e.value.fields) == {"kind", "given_on", "amount"}
    assert counts() == before


def test_a_help_the_ledger_refuses_writes_nothing(a_file, welfare, school_a):
    from jiaogong.factories import UserFactory, grant
    from jiaogong.funds.models import YearSignOff

    auditor = grant(UserFactory(), school_a, "auditor")
    last_year = datetime.date.today().year - 1
    YearSignOff.objects.create(org=school_a, year=last_year, opinion="账目清楚", signed_by=auditor)
    before = counts()
    with pytest.raises(InvalidInput) as e:
        services.record_help(
            actor=welfare,
            file=a_file,
            kind="living",
            given_on=datetime.date(last_year, 6, 1),
            form="cash",
            amount="500",
        )
    assert "经审签字" in e.value.fields["given_on"]
    assert counts() == before


@pytest.mark.parametrize("model", [HelpRecord, Review, CategoryChange, FileRead])
def test_the_evidence_cannot_be_changed_or_deleted(model, a_file, welfare):
    services.record_help(
        actor=welfare, file=a_file, kind="living", given_on=datetime.date.today(), form="cash", amount="100"
    )
    services.review_file(actor=welfare, file=a_file, reviewed_on=datetime.date.today(), conclusion="keep")
    selectors.log_read(welfare, a_file, via="web")
    row = model.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(org=row.org)


def test_a_help_whose_voucher_warns_waits_for_the_welfare_members_confirmation(school_a, make_file, welfare):
    """八不准 (here the payee's name matches a banned word): the help passes on the confirmation of
    the person recording it, never confirms by itself; nothing is written before."""
    from jiaogong.core.errors import NeedsConfirmation

    file = make_file(MemberFactory(org=school_a, name="王津贴"))
    kwargs = {
        "actor": welfare,
        "file": file,
        "kind": "medical",
        "given_on": datetime.date.today(),
        "form": "cash",
    }
    with pytest.raises(NeedsConfirmation):
        services.record_help(**kwargs, amount="500")
    assert not LedgerEntry.objects.exists() and not HelpRecord.objects.exists()
    help_ = services.record_help(**kwargs, amount="500", confirm_warnings=True)
    assert help_.ledger_entry.amount == Decimal("500.00")
