"""API v1, 困难职工档案 (API.md "Welfare"): POST computes the category; GET one is logged and 404 to
anyone but the chair and the welfare member; bad input is 400 with fields and writes nothing."""

import pytest

from jiaogong.hardship.models import FileRead, HardshipFile


def body(member, **overrides):
    return {
        "member": member.pk,
        "household_size": 3,
        "annual_income": "30000",
        "rigid_expenses": "6000",
        "hardship_costs": "0",
        "dibao_monthly": "800",
    } | overrides


def test_posting_a_file_answers_201_with_the_computed_category(api, welfare, school_a, teacher):
    response = api(welfare).post(f"/orgs/{school_a.pk}/hardship-files", body(teacher))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["category"] == "deep" and data["per_capita_monthly"] == "666.67"
    assert data["id"] == HardshipFile.objects.get().pk
    assert data["reasons"] == ["家庭人均月收入 666.67 元，低于当地低保标准 800.00 元。"]


@pytest.mark.parametrize(
    ("overrides", "category"),
    [
        ({"annual_income": "28800", "rigid_expenses": "0"}, "relative"),  # exactly at the 低保
        ({"annual_income": "28799.99", "rigid_expenses": "0"}, "deep"),
        ({"annual_income": "57600", "rigid_expenses": "0"}, "none"),
        ({"annual_income": "100000", "rigid_expenses": "0", "hardship_costs": "80000.01"}, "accident"),
    ],
)
def test_the_category_at_its_boundaries_through_the_api(api, welfare, school_a, teacher, overrides, category):
    response = api(welfare).post(f"/orgs/{school_a.pk}/hardship-files", body(teacher, **overrides))
    assert response.json()["category"] == category


def test_bad_input_is_400_with_fields_and_writes_nothing(api, welfare, school_a, teacher):
    response = api(welfare).post(
        f"/orgs/{school_a.pk}/hardship-files", body(teacher, household_size=0, dibao_monthly="-800")
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"] == {
        "household_size": "家庭人口数至少为 1（职工本人）。",
        "dibao_monthly": "当地低保标准不能为负数；没有请填 0。",
    }
    assert HardshipFile.objects.count() == 0


def test_a_missing_field_is_400(api, welfare, school_a, teacher):
    data = body(teacher)
    del data["dibao_monthly"]
    response = api(welfare).post(f"/orgs/{school_a.pk}/hardship-files", data)
    assert response.status_code == 400
    assert "dibao_monthly" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["leader", "finance"])
def test_other_roles_cannot_post_or_list(request, api, school_a, teacher, who):
    client = api(request.getfixturevalue(who))
    assert client.post(f"/orgs/{school_a.pk}/hardship-files", body(teacher)).status_code == 403
    assert client.get(f"/orgs/{school_a.pk}/hardship-files").status_code == 403
    assert HardshipFile.objects.count() == 0


def test_an_outsider_cannot_post_or_list(api, outsider_b, school_a, teacher):
    client = api(outsider_b)
    assert client.post(f"/orgs/{school_a.pk}/hardship-files", body(teacher)).status_code == 404
    assert client.get(f"/orgs/{school_a.pk}/hardship-files").status_code == 404


def test_the_chair_reads_a_file_and_the_read_is_logged(api, chair_a, a_file):
    response = api(chair_a).get(f"/hardship-files/{a_file.pk}")
    assert response.status_code == 200
    assert response.json()["category"] == "deep"
    read = FileRead.objects.get()
    assert (read.user, read.via) == (chair_a, "api")


@pytest.mark.parametrize("who", ["leader", "finance", "member_a", "officer", "outsider_b"])
def test_nobody_else_reads_a_file(request, api, a_file, who):
    response = api(request.getfixturevalue(who)).get(f"/hardship-files/{a_file.pk}")
    assert response.status_code == 404
    assert FileRead.objects.count() == 0


def test_the_list_flags_files_not_reviewed_this_year(api, welfare, school_a, a_file):
    rows = api(welfare).get(f"/orgs/{school_a.pk}/hardship-files").json()
    assert [(r["id"], r["reviewed_this_year"]) for r in rows] == [(a_file.pk, True)]
