"""Greeting batches (节日慰问, 生日慰问): recipients by rule, per-class amounts within each member's
remaining allowance, goods only for festivals, all-or-nothing, one voucher, the sign-off sheet."""

import datetime
import io
import os
import shutil
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.utils import timezone

from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory
from jiaogong.funds import benefits
from jiaogong.funds.models import Benefit, LedgerEntry
from jiaogong.members.models import Member
from jiaogong.testing import libreoffice_pdfs
from jiaogong.welfare import exporting, selectors, services
from jiaogong.welfare.models import GreetingBatch, GreetingRecipient

D = Decimal


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def staff(school_a, group_a, member_a, retiree):
    """Four active members (张三 of member_a, 刘生活 of welfare_a and two more) and one retiree; one
    transferred (left out)."""
    MemberFactory(org=school_a, name="黄丽", union_group=group_a)
    MemberFactory(org=school_a, name="周敏", union_group=group_a)
    MemberFactory(org=school_a, name="调走的", status=Member.Status.TRANSFERRED)
    return Member.objects.filter(org=school_a)


def festival(actor, org, today, *, name="春节", active="300", retired="200", extra=None, form="goods"):
    return services.create_batch(
        actor=actor,
        org=org,
        kind="festival",
        festival=name,
        given_on=today,
        item="大米、食用油",
        form=form,
        amounts={"active": active, "retired": retired},
        hardship_extra=extra,
        handler="刘生活",
    )


def test_recipients_are_built_by_class_in_one_step(school_a, welfare_a, staff, today):
    batch = festival(welfare_a, school_a, today)
    rows = {r.member.name: (r.klass, r.amount) for r in batch.recipients.select_related("member")}
    assert rows["老王"] == ("retired", D("200.00"))
    assert rows["黄丽"] == ("active", D("300.00"))
    assert "调走的" not in rows
    assert len(rows) == Member.objects.filter(org=school_a, status__in=["active", "retired"]).count()


def test_a_class_left_blank_is_left_out_as_for_chongyang(school_a, welfare_a, staff, today):
    batch = festival(welfare_a, school_a, today, name="重阳", active="", retired="150")
    assert list(batch.recipients.values_list("member__name", flat=True)) == ["老王"]


def test_hardship_families_get_the_extra_on_top(school_a, chair_a, welfare_a, staff, today):
    from jiaogong.hardship.services import create_file

    poor = Member.objects.get(org=school_a, name="黄丽")
    create_file(
        actor=chair_a,
        org=school_a,
        member=poor,
        household_size=4,
        annual_income="20000",
        rigid_expenses="8000",
        hardship_costs="0",
        dibao_monthly="700",
    )
    assert selectors.hardship_member_ids(school_a, today) == [poor.pk]
    batch = festival(welfare_a, school_a, today, active="300", extra="500")
    row = batch.recipients.get(member=poor)
    assert (row.hardship, row.amount) == (True, D("800.00"))
    assert batch.recipients.get(member__name="周敏").amount == D("300.00")


def test_posting_makes_one_voucher_for_the_total(school_a, welfare_a, staff, today):
    batch = festival(welfare_a, school_a, today)
    batch = services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    entry = batch.entry
    total = sum(GreetingRecipient.objects.filter(batch=batch).values_list("amount", flat=True), D(0))
    assert entry.amount == total == D("300") * 4 + D("200")
    assert (entry.category, entry.subcategory) == ("职工活动支出", "集体福利")
    assert LedgerEntry.objects.count() == 1
    assert Benefit.objects.filter(entry=entry).count() == batch.recipients.count()
    assert not batch.recipients.filter(benefit=None).exists()
    with pytest.raises(Conflict):
        services.post_batch(actor=welfare_a, org=school_a, batch=batch)


def test_exactly_the_remaining_allowance_is_accepted(school_a, welfare_a, member_a, today):
    batch = festival(welfare_a, school_a, today, active="1500.00", retired="")
    services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert Benefit.objects.get(member=member_a.member).amount == D("1500.00")


def test_one_fen_above_the_allowance_refuses_the_whole_batch(school_a, welfare_a, staff, today):
    batch = festival(welfare_a, school_a, today, active="1500.01")
    preview = selectors.preview(batch)
    assert preview.over == 4
    with pytest.raises(DomainError) as e:
        services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert e.value.code == "cap_exceeded"
    assert "4 人超出慰问标准" in e.value.message
    assert (LedgerEntry.objects.count(), Benefit.objects.count()) == (0, 0)
    batch.refresh_from_db()
    assert batch.status == GreetingBatch.Status.DRAFT


def test_the_festival_allowance_is_used_up_across_two_festivals(school_a, welfare_a, staff, today):
    first = festival(welfare_a, school_a, today, name="端午", active="1000", retired="")
    services.post_batch(actor=welfare_a, org=school_a, batch=first)
    second = festival(welfare_a, school_a, today, name="中秋", active="600", retired="500")
    preview = selectors.preview(second)
    by_name = {r.recipient.member.name: r for r in preview.rows}
    assert by_name["黄丽"].allowance == D("500.00") and by_name["黄丽"].over
    assert by_name["老王"].allowance == D("1500.00") and not by_name["老王"].over
    with pytest.raises(DomainError):
        services.post_batch(actor=welfare_a, org=school_a, batch=second)
    # lower the amount to what is left, and it goes through
    for row in second.recipients.filter(klass="active"):
        services.set_amount(actor=welfare_a, org=school_a, batch=second, recipient_id=row.pk, amount="500")
    services.post_batch(actor=welfare_a, org=school_a, batch=second)
    assert benefits.allowance(school_a, Member.objects.get(name="黄丽"), today.year)["festival_left"] == 0


def test_taking_someone_off_lets_the_rest_go(school_a, welfare_a, staff, member_a, today):
    benefits.give(
        actor=welfare_a, org=school_a, member=member_a.member, kind="festival", festival="元旦",
        form="goods", amount="1400", date=today,
    )  # fmt: skip
    batch = festival(welfare_a, school_a, today)
    over = [r for r in selectors.preview(batch).rows if r.over]
    assert [r.recipient.member for r in over] == [member_a.member]
    services.remove_recipient(actor=welfare_a, org=school_a, batch=batch, recipient_id=over[0].recipient.pk)
    services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert batch.recipients.count() == 4


@pytest.mark.parametrize("form", ["cash", "shopping_card", "cake_voucher"])
def test_cash_cards_and_vouchers_are_refused_for_festivals(school_a, welfare_a, staff, today, form):
    batch = festival(welfare_a, school_a, today, form=form)
    assert selectors.preview(batch).form_refusal == "节日慰问不得发放现金、购物卡或代金券。"
    with pytest.raises(DomainError) as e:
        services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert e.value.code == "form_not_allowed"
    assert LedgerEntry.objects.count() == 0


def test_an_unknown_festival_is_refused_and_a_configured_one_is_allowed(
    school_a, chair_a, welfare_a, staff, today
):
    with pytest.raises(InvalidInput) as e:
        festival(welfare_a, school_a, today, name="圣诞")
    assert "festival" in e.value.fields
    assert GreetingBatch.objects.count() == 0
    set_org_value(
        actor=chair_a, org=school_a, key="welfare.extra_festivals", text="重阳、三月三", source="本校"
    )
    assert festival(welfare_a, school_a, today, name="三月三").festival == "三月三"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"active": "abc"}, "amount_active"),
        ({"active": "", "retired": ""}, "amount_active"),
        ({"extra": "-5"}, "hardship_extra"),
    ],
)
def test_bad_batch_input_writes_nothing(school_a, welfare_a, staff, today, change, field):
    kwargs = {"active": "300", "retired": "200"} | change
    with pytest.raises(InvalidInput) as e:
        festival(welfare_a, school_a, today, **kwargs)
    assert field in e.value.fields
    assert (GreetingBatch.objects.count(), GreetingRecipient.objects.count()) == (0, 0)


def test_ledger_postings_equal_the_batches(school_a, welfare_a, staff, today):
    for name, active, retired in (("元旦", "100", "100"), ("春节", "300.50", "200"), ("重阳", "", "150")):
        services.post_batch(
            actor=welfare_a,
            org=school_a,
            batch=festival(welfare_a, school_a, today, name=name, active=active, retired=retired),
        )
    batches = GreetingBatch.objects.filter(org=school_a)
    booked = sum(LedgerEntry.objects.filter(org=school_a).values_list("amount", flat=True), D(0))
    given = sum(GreetingRecipient.objects.filter(batch__in=batches).values_list("amount", flat=True), D(0))
    assert booked == given == D("100") * 5 + D("300.50") * 4 + D("200") + D("150")


# ---- birthdays ------------------------------------------------------------------------------------------


def test_the_birthday_batch_lists_the_months_active_members_and_is_once_a_year(
    school_a, welfare_a, group_a, retiree, today
):
    born = datetime.date(1980, today.month, 1)
    a = MemberFactory(org=school_a, name="过生日", birth_date=born, union_group=group_a)
    MemberFactory(org=school_a, name="下个月", birth_date=datetime.date(1980, today.month % 12 + 1, 1))
    MemberFactory(org=school_a, name="退休的", birth_date=born, status=Member.Status.RETIRED)

    def make():
        return services.create_batch(
            actor=welfare_a, org=school_a, kind="birthday", month=today.month, given_on=today,
            form="cake_voucher", item="蛋糕券", amounts={"birthday": "300"},
        )  # fmt: skip

    batch = make()
    assert list(batch.recipients.values_list("member__name", flat=True)) == ["过生日"]
    batch = services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert batch.entry.amount == D("300.00")
    again = make()
    row = selectors.preview(again).rows[0]
    assert row.over and "每人每年一次" in row.rule
    with pytest.raises(DomainError):
        services.post_batch(actor=welfare_a, org=school_a, batch=again)
    assert Benefit.objects.filter(member=a, kind="birthday").count() == 1


def test_one_fen_above_the_birthday_cap_is_refused(school_a, welfare_a, today):
    MemberFactory(org=school_a, birth_date=datetime.date(1990, today.month, 2))
    batch = services.create_batch(
        actor=welfare_a, org=school_a, kind="birthday", month=today.month, given_on=today,
        form="goods", item="生日蛋糕", amounts={"birthday": "300.01"},
    )  # fmt: skip
    with pytest.raises(DomainError) as e:
        services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert e.value.code == "cap_exceeded"


# ---- the sign-off sheet ---------------------------------------------------------------------------------


def test_the_signoff_sheets_list_everyone_with_totals_and_signature_lines(
    school_a, welfare_a, staff, today, tmp_path
):
    batch = festival(welfare_a, school_a, today)
    sheet = openpyxl.load_workbook(io.BytesIO(exporting.signoff_xlsx(batch))).active
    assert sheet["A1"].value == f"{today.year}年春节慰问签领表"
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "工会小组", "类别", "慰问品", "金额（元）", "签名"]
    values = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    total_row = next(r for r in values if r[0] == "合计")
    assert total_row[5] == 1400
    assert any(r[0] and "工会主席（签字）" in str(r[0]) and "经办人（签字）" in str(r[0]) for r in values)
    document = docx.Document(io.BytesIO(exporting.signoff_docx(batch)))
    cells = [c.text for c in document.tables[0].rows[-1].cells]
    assert cells[0] == "合计" and cells[5] == "1,400.00"
    assert any("经办人（签字）" in p.text for p in document.paragraphs)

    if shutil.which("libreoffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it)")
    path = tmp_path / "签领表.docx"
    path.write_bytes(exporting.signoff_docx(batch))
    libreoffice_pdfs([path], tmp_path)


def test_a_batch_of_shopping_cards_waits_for_the_person_posting_to_confirm(
    school_a, welfare_a, staff, today, login
):
    """八不准 (no shopping cards as festival gifts): posting the batch does not confirm the ledger's
    warning by itself; the page shows the warning and a box to tick; nothing is written before."""
    from django.urls import reverse

    from jiaogong.core.errors import NeedsConfirmation

    batch = services.create_batch(
        actor=welfare_a,
        org=school_a,
        kind="festival",
        festival="春节",
        given_on=today,
        item="超市购物卡",
        form="goods",
        amounts={"active": "300", "retired": "200"},
        handler="刘生活",
    )
    with pytest.raises(NeedsConfirmation) as e:
        services.post_batch(actor=welfare_a, org=school_a, batch=batch)
    assert "购物卡" in e.value.fields["warnings"]
    assert not LedgerEntry.objects.exists() and not Benefit.objects.exists()
    url = reverse("welfare:batch_post", args=[school_a.pk, batch.pk])
    page = login(welfare_a).post(url)
    assert page.status_code == 409
    html = page.content.decode()
    assert "不得以购物卡、代金券等形式发放节日慰问（八不准）" in html and 'name="confirm_warnings"' in html
    assert not LedgerEntry.objects.exists()
    assert login(welfare_a).post(url, {"confirm_warnings": "on"}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "posted" and batch.entry.amount == D("300") * 4 + D("200")
