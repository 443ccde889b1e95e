"""API v1, 行事历: GET /calendar/working-days (API.md, RULES.md §5 "公示")."""

import datetime

import chinese_calendar
import pytest

from jiaogong.core.models import Holiday
from jiaogong.factories import UserFactory

pytestmark = pytest.mark.django_db

PATH = "/calendar/working-days"


def test_a_member_gets_the_end_of_a_notice_across_national_day(api, member_a):
    # 30 Sep (1), 1–7 Oct off, 8 (2), 9 (3), Sat 10 Oct 调休上班 (4), Mon 12 Oct (5).
    response = api(member_a).get(PATH, {"start": "2026-09-30", "days": 5})
    assert response.status_code == 200, response.json()
    assert response.json() == {"start": "2026-09-30", "days": 5, "end": "2026-10-12"}


def test_a_start_on_a_holiday_is_not_counted(api, member_a):
    # 8 (1), 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 Oct (5).
    body = api(member_a).get(PATH, {"start": "2026-10-01", "days": 5}).json()
    assert body["end"] == "2026-10-13"


def test_a_user_without_any_org_role_may_ask(api):
    response = api(UserFactory()).get(PATH, {"start": "2026-10-08", "days": 1})
    assert response.status_code == 200 and response.json()["end"] == "2026-10-08"


def test_a_browser_session_may_ask(client, member_a):
    client.force_login(member_a)
    response = client.get("/api/v1" + PATH, {"start": "2026-09-28", "days": 5})
    assert response.status_code == 200 and response.json()["end"] == "2026-10-09"


def test_the_admin_holiday_table_wins_over_the_shipped_one(api, member_a):
    # Illustrative 2027 entries: Fri 1 Jan off; Sat 9 Jan a make-up working day.
    Holiday.objects.create(date="2027-01-01", is_working_day=False, name="2027年元旦")
    Holiday.objects.create(date="2027-01-09", is_working_day=True, name="调休上班")
    # Thu 31 Dec 2026 (1), 1 Jan off, weekend, Mon 4 (2), Tue 5 Jan (3).
    assert api(member_a).get(PATH, {"start": "2026-12-31", "days": 3}).json()["end"] == "2027-01-05"
    # Thu 7 (1), Fri 8 (2), Sat 9 Jan (3).
    assert api(member_a).get(PATH, {"start": "2027-01-07", "days": 3}).json()["end"] == "2027-01-09"


def test_without_credentials_the_answer_is_401(api):
    response = api().get(PATH, {"start": "2026-09-30", "days": 5})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_wrong_token_is_401(api):
    response = api(token="not-a-token").get(PATH, {"start": "2026-09-30", "days": 5})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"start": "2026/09/30", "days": 5}, "start", "日期应写成 YYYY-MM-DD"),
        ({"start": "2026-02-30", "days": 5}, "start", "日期应写成 YYYY-MM-DD"),
        ({"days": 5}, "start", "必填"),
        ({"start": "2026-09-30", "days": 0}, "days", "最小 1"),
        ({"start": "2026-09-30", "days": -3}, "days", "最小 1"),
        ({"start": "2026-09-30", "days": 367}, "days", "最大 366"),
        ({"start": "2026-09-30", "days": "五"}, "days", "应为整数"),
        ({"start": "2026-09-30"}, "days", "必填"),
    ],
)
def test_bad_input_is_400_with_a_chinese_message_for_the_field(api, member_a, query, field, message):
    response = api(member_a).get(PATH, query)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["fields"][field]


def test_a_start_too_late_to_count_is_400_not_a_crash(api, member_a):
    response = api(member_a).get(PATH, {"start": "9999-12-30", "days": 366})
    assert response.status_code == 400
    assert "日期过晚" in response.json()["error"]["fields"]["start"]


def test_the_longest_notice_allowed_matches_the_librarys_own_count(api, member_a):
    response = api(member_a).get(PATH, {"start": "2025-01-02", "days": 366})
    assert response.status_code == 200
    end = datetime.date.fromisoformat(response.json()["end"])
    assert chinese_calendar.is_workday(end)
    assert len(chinese_calendar.get_workdays(datetime.date(2025, 1, 2), end)) == 366
