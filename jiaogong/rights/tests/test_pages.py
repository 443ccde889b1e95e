"""维权 pages: every page refuses outsiders (404) and wrong roles (403); a case is seen only by the
chair and the mediators sitting on it (everyone else of the school: 404); refused input re-renders
with 422 and writes nothing; the .docx papers download and LibreOffice opens them."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from jiaogong.core.models import AuditEvent
from jiaogong.rights import services
from jiaogong.rights.models import (
    ClauseCheck,
    CollectiveContract,
    ContractClause,
    Hearing,
    MediationCase,
    MediatorSeat,
)
from jiaogong.rights.tests.conftest import SECRET
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"rights:{name}", args=args)


@pytest.fixture
def agreed(case, chair, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    services.record_hearing(
        actor=chair, case=case, held_on=day, place="工会活动室", present="双方", minutes="陈述"
    )
    services.move_case(actor=chair, case=case, to="agreed", on=day, agreement="学校于15日内补发津贴2,400元。")
    case.refresh_from_db()
    return case


@pytest.fixture
def pages(school_a, case, contract):
    """Every page of school A with the capability it needs."""
    o = school_a.pk
    return {
        "home": url("home", o),
        "committee": url("committee", o),
        "cases": url("cases", o),
        "case_new": url("case_new", o),
        "case": url("case", o, case.pk),
        "agreement": url("agreement", o, case.pk),
        "contract_new": url("contract_new", o),
        "contract": url("contract", o, contract.pk),
        "contract_export": url("contract_export", o, contract.pk),
    }


# ---- who may open what ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "committee",
        "cases",
        "case_new",
        "case",
        "agreement",
        "contract_new",
        "contract",
        "contract_export",
    ],
)
def test_an_outsider_gets_404_on_every_page(login, outsider_b, pages, page):
    assert login(outsider_b).get(pages[page]).status_code == 404


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "committee",
        "cases",
        "case_new",
        "case",
        "agreement",
        "contract_new",
        "contract",
        "contract_export",
    ],
)
def test_a_department_account_gets_403_on_every_page(login, department, pages, page):
    assert login(department).get(pages[page]).status_code == 403


@pytest.mark.parametrize("page", ["case_new", "contract_new"])
def test_a_plain_member_cannot_open_the_forms(login, member_a, pages, page):
    assert login(member_a).get(pages[page]).status_code == 403


def test_a_vice_chair_keeps_the_contract_but_does_not_open_cases(login, vice_chair, pages):
    client = login(vice_chair)
    assert client.get(pages["contract_new"]).status_code == 200
    assert client.get(pages["case_new"]).status_code == 403
    assert client.get(pages["case"]).status_code == 404


@pytest.mark.parametrize("page", ["home", "committee", "cases", "contract", "contract_export"])
def test_every_member_reads_the_committee_and_the_contract(login, member_a, pages, page):
    assert login(member_a).get(pages[page]).status_code == 200


def test_another_schools_case_and_contract_are_404_for_the_chair(login, outsider_b, school_b, case, contract):
    client = login(outsider_b)
    assert client.get(url("case", school_b.pk, case.pk)).status_code == 404
    assert client.get(url("agreement", school_b.pk, case.pk)).status_code == 404
    assert client.get(url("contract", school_b.pk, contract.pk)).status_code == 404
    assert client.get(url("contract_export", school_b.pk, contract.pk)).status_code == 404


# ---- confidentiality of cases ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["off_case", "member_a", "auditor", "vice_chair", "applicant", "staff_rep"])
def test_only_the_chair_and_the_cases_mediators_open_a_case(request, login, agreed, school_a, who):
    client = login(request.getfixturevalue(who))
    assert client.get(url("case", school_a.pk, agreed.pk)).status_code == 404
    assert client.get(url("agreement", school_a.pk, agreed.pk)).status_code == 404


@pytest.mark.parametrize("who", ["chair", "on_case"])
def test_the_chair_and_a_sitting_mediator_read_the_case(request, login, agreed, school_a, who):
    response = login(request.getfixturevalue(who)).get(url("case", school_a.pk, agreed.pk))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@pytest.mark.parametrize("who", ["off_case", "member_a", "auditor", "vice_chair"])
def test_the_case_list_shows_nothing_of_others_cases(request, login, case, school_a, who):
    body = login(request.getfixturevalue(who)).get(url("cases", school_a.pk)).content.decode()
    assert str(case) not in body
    assert "郑老师" not in body
    assert SECRET not in body


def test_the_applicant_sees_only_the_number_and_state_of_their_own_case(login, applicant, case, school_a):
    body = login(applicant).get(url("cases", school_a.pk)).content.decode()
    assert str(case) in body and "申请" in body
    assert url("case", school_a.pk, case.pk) not in body
    assert SECRET not in body


def test_a_sitting_mediator_sees_their_case_in_the_list(login, on_case, case, school_a):
    body = login(on_case).get(url("cases", school_a.pk)).content.decode()
    assert url("case", school_a.pk, case.pk) in body


def test_the_audit_page_shows_no_case_text_to_the_auditor(login, auditor, chair, agreed, school_a):
    # Mediation is the chair's (rights.mediation): the auditor sees none of its events, not even the
    # case number; the chair sees them.
    audit_url = reverse("core:audit", args=[school_a.pk])
    body = login(auditor).get(audit_url).content.decode()
    assert str(agreed) not in body
    for secret in (SECRET, "补发津贴", "郑老师", "工会活动室"):
        assert secret not in body
    assert str(agreed) in login(chair).get(audit_url).content.decode()


# ---- cases: writing ------------------------------------------------------------------------------------


def test_the_chair_registers_a_case(login, chair, school_a, applicant, seats, day):
    response = login(chair).post(
        url("case_new", school_a.pk),
        {
            "applicants": [applicant.member.pk],
            "respondent_text": "学校",
            "subject": "leave",
            "applied_on": day.isoformat(),
            "claim": "请求安排寒假值班补休三天。",
            "mediators": [seats["on"].pk],
        },
    )
    case = MediationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url("case", school_a.pk, case.pk)
    assert list(case.mediators.all()) == [seats["on"]]


def test_a_case_without_a_claim_is_refused_with_422(login, chair, school_a, applicant, day):
    before = AuditEvent.objects.count()
    response = login(chair).post(
        url("case_new", school_a.pk),
        {
            "applicants": [applicant.member.pk],
            "respondent_text": "学校",
            "subject": "pay",
            "applied_on": day.isoformat(),
        },
    )
    assert response.status_code == 422
    assert "请填写申请事项。" in response.content.decode()
    assert (MediationCase.objects.count(), AuditEvent.objects.count()) == (0, before)


def test_the_chair_moves_a_case_along(login, chair, case, school_a, day):
    client = login(chair)
    response = client.post(
        url("case", school_a.pk, case.pk), {"action": "move", "to": "accepted", "on": day.isoformat()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.deadline) == ("accepted", day + datetime.timedelta(days=15))


def test_a_move_out_of_turn_is_refused_with_422_and_a_chinese_message(login, chair, case, school_a, day):
    before = AuditEvent.objects.count()
    response = login(chair).post(
        url("case", school_a.pk, case.pk), {"action": "move", "to": "closed", "on": day.isoformat()}
    )
    assert response.status_code == 422
    assert "“申请”的案件不能直接改为“结案”" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, AuditEvent.objects.count()) == ("applied", before)


def test_a_refusal_without_reason_is_refused_with_422(login, chair, case, school_a, day):
    response = login(chair).post(
        url("case", school_a.pk, case.pk),
        {"action": "move", "to": "rejected", "on": day.isoformat(), "reason": ""},
    )
    assert response.status_code == 422
    assert "请填写说明。" in response.content.decode()
    assert MediationCase.objects.get(pk=case.pk).status == "applied"


def test_a_mediator_records_a_hearing_but_cannot_move_the_case(login, on_case, chair, case, school_a, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    client = login(on_case)
    response = client.post(
        url("case", school_a.pk, case.pk),
        {
            "action": "hearing",
            "held_on": day.isoformat(),
            "place": "工会活动室",
            "present": "双方",
            "minutes": "陈述",
        },
    )
    assert response.status_code == 302
    assert Hearing.objects.filter(case=case, recorded_by=on_case).count() == 1
    assert (
        client.post(url("case", school_a.pk, case.pk), {"action": "move", "to": "withdrawn"}).status_code
        == 403
    )
    assert (
        client.post(url("case", school_a.pk, case.pk), {"action": "mediators", "mediators": []}).status_code
        == 403
    )


def test_a_hearing_without_minutes_is_refused_with_422(login, chair, case, school_a, day):
    services.move_case(actor=chair, case=case, to="accepted", on=day)
    response = login(chair).post(
        url("case", school_a.pk, case.pk),
        {"action": "hearing", "held_on": day.isoformat(), "place": "", "present": "", "minutes": ""},
    )
    assert response.status_code == 422
    assert "请填写调解记录。" in response.content.decode()
    assert Hearing.objects.count() == 0


def test_the_chair_changes_the_mediators(login, chair, case, school_a, seats):
    response = login(chair).post(
        url("case", school_a.pk, case.pk), {"action": "mediators", "mediators": [seats["off"].pk]}
    )
    assert response.status_code == 302
    assert list(case.mediators.all()) == [seats["off"]]


def test_the_agreement_downloads_as_docx_with_its_text(login, on_case, agreed, school_a):
    response = login(on_case).get(url("agreement", school_a.pk, agreed.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "学校于15日内补发津贴2,400元。" in text and "劳动争议调解协议书" in text


def test_a_case_without_agreement_has_no_paper(login, chair, case, school_a):
    response = login(chair).get(url("agreement", school_a.pk, case.pk))
    assert response.status_code == 302


# ---- the committee ---------------------------------------------------------------------------------------


def test_the_committee_page_lists_the_members_by_side(login, member_a, committee, school_a):
    body = login(member_a).get(url("committee", school_a.pk)).content.decode()
    assert "孙调解" in body and "周委员" in body and "王主席" in body
    assert "登记委员" not in body


def test_the_chair_adds_a_seat_and_a_member_may_not(
    login, chair, member_a, committee, staff_rep, school_a, day
):
    data = {"action": "seat", "member": staff_rep.member.pk, "side": "staff", "since": day.isoformat()}
    assert login(member_a).post(url("committee", school_a.pk), data).status_code == 403
    assert login(chair).post(url("committee", school_a.pk), data).status_code == 302
    assert MediatorSeat.objects.filter(member=staff_rep.member, until__isnull=True).exists()


def test_a_seat_without_a_member_is_refused_with_422(login, chair, committee, school_a, day):
    before = MediatorSeat.objects.count()
    response = login(chair).post(
        url("committee", school_a.pk), {"action": "seat", "side": "staff", "since": day.isoformat()}
    )
    assert response.status_code == 422
    assert "请选择委员。" in response.content.decode()
    assert MediatorSeat.objects.count() == before


def test_the_chair_ends_a_seat(login, chair, seats, school_a, day):
    response = login(chair).post(
        url("committee", school_a.pk), {"action": "end", "seat": seats["off"].pk, "until": day.isoformat()}
    )
    assert response.status_code == 302
    seats["off"].refresh_from_db()
    assert seats["off"].until == day


def test_a_vice_chair_forms_the_committee(login, vice_chair, school_a, day):
    response = login(vice_chair).post(
        url("committee", school_a.pk),
        {
            "action": "committee",
            "formed_on": day.isoformat(),
            "ends_on": day.replace(year=day.year + 3).isoformat(),
        },
    )
    assert response.status_code == 302
    response = login(vice_chair).post(
        url("committee", school_a.pk), {"action": "committee", "formed_on": day.isoformat(), "ends_on": "x"}
    )
    assert response.status_code == 422


# ---- the contract ----------------------------------------------------------------------------------------


def test_the_chair_registers_a_contract(login, chair, school_a, day):
    response = login(chair).post(
        url("contract_new", school_a.pk),
        {
            "title": "2026—2028年集体合同",
            "signed_on": day.isoformat(),
            "starts_on": day.isoformat(),
            "ends_on": day.replace(year=day.year + 3).isoformat(),
        },
    )
    contract = CollectiveContract.objects.get()
    assert response.status_code == 302 and response["Location"] == url("contract", school_a.pk, contract.pk)


def test_a_contract_of_five_years_is_refused_with_422(login, chair, school_a, day):
    response = login(chair).post(
        url("contract_new", school_a.pk),
        {
            "title": "集体合同",
            "signed_on": day.isoformat(),
            "starts_on": day.isoformat(),
            "ends_on": day.replace(year=day.year + 5).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "集体合同期限一般为 1 至 3 年" in response.content.decode()
    assert CollectiveContract.objects.count() == 0


def test_the_contract_page_shows_the_womens_section_and_flags_unchecked_clauses(
    login, member_a, contract, school_a
):
    body = login(member_a).get(url("contract", school_a.pk, contract.pk)).content.decode()
    assert "女职工权益保护专项集体合同" in body and "每天1小时哺乳时间。" in body
    assert body.count("从未检查") >= 3
    assert "登记检查" not in body and "登记履约检查" not in body


def test_the_chair_adds_a_clause_records_a_check_and_a_review(login, chair, contract, school_a, day):
    client = login(chair)
    page = url("contract", school_a.pk, contract.pk)
    assert (
        client.post(
            page, {"action": "clause", "chapter": "training", "number": "4", "text": "培训经费不低于5%。"}
        ).status_code
        == 302
    )
    clause = ContractClause.objects.get(number=4)
    response = client.post(
        page,
        {
            "action": "check",
            "clause": clause.pk,
            "checked_on": day.isoformat(),
            "checked_by": "王主席",
            "finding": "partly",
            "note": "只达到3%",
            "follow_up": "列入明年预算",
        },
    )
    assert response.status_code == 302
    assert ClauseCheck.objects.get().finding == "partly"
    assert (
        client.post(
            page, {"action": "review", "reviewed_on": day.isoformat(), "note": "教代会审议"}
        ).status_code
        == 302
    )
    assert contract.reviews.count() == 1


def test_a_bad_check_is_refused_with_422_and_writes_nothing(login, chair, contract, school_a, day):
    clause = contract.clauses.first()
    response = login(chair).post(
        url("contract", school_a.pk, contract.pk),
        {
            "action": "check",
            "clause": clause.pk,
            "checked_on": day.isoformat(),
            "checked_by": "王主席",
            "finding": "not_met",
        },
    )
    assert response.status_code == 422
    assert "请填写情况说明。" in response.content.decode()
    assert ClauseCheck.objects.count() == 0


def test_a_check_of_another_contracts_clause_is_refused(login, chair, contract, school_a, day):
    other = services.create_contract(
        actor=chair,
        org=school_a,
        title="另一份",
        signed_on=day,
        starts_on=day,
        ends_on=day.replace(year=day.year + 1),
    )
    clause = services.add_clause(actor=chair, contract=other, chapter="pay", number=1, text="x")
    response = login(chair).post(
        url("contract", school_a.pk, contract.pk),
        {
            "action": "check",
            "clause": clause.pk,
            "checked_on": day.isoformat(),
            "checked_by": "王",
            "finding": "met",
        },
    )
    assert response.status_code == 422
    assert "请选择本合同的条款。" in response.content.decode()
    assert ClauseCheck.objects.count() == 0


def test_a_member_may_not_record_a_check(login, member_a, contract, school_a, day):
    clause = contract.clauses.first()
    response = login(member_a).post(
        url("contract", school_a.pk, contract.pk),
        {
            "action": "check",
            "clause": clause.pk,
            "checked_on": day.isoformat(),
            "checked_by": "张三",
            "finding": "met",
        },
    )
    assert response.status_code == 403
    assert ClauseCheck.objects.count() == 0


def test_the_contract_exports_as_docx_with_its_check_status(login, member_a, chair, contract, school_a, day):
    clause = contract.clauses.get(number=2)
    services.record_check(
        actor=chair, clause=clause, checked_on=day, checked_by="王主席", finding="not_met", note="未安排补休"
    )
    response = login(member_a).get(url("contract_export", school_a.pk, contract.pk))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("未履行\n") and "王主席" in c for c in cells)
    assert "从未检查" in " ".join(cells)
    assert any("女职工权益保护专项集体合同" in p.text for p in doc.paragraphs)


@needs_libreoffice
def test_libreoffice_opens_the_agreement_and_the_contract(login, chair, agreed, contract, school_a, tmp_path):
    client = login(chair)
    files = []
    for name, link in (
        ("agreement", url("agreement", school_a.pk, agreed.pk)),
        ("contract", url("contract_export", school_a.pk, contract.pk)),
    ):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(client.get(link).content)
        files.append(path)
    libreoffice_pdfs(files, tmp_path)
    for path in files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, pdf.name
