"""Password rules in Chinese (accounts/passwords.py), the own password page, and create_user."""

import string

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.accounts.models import User
from jiaogong.accounts.passwords import password_problems
from jiaogong.accounts.services import create_user
from jiaogong.conftest import PASSWORD
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import AuditEvent

PASSWORD_PAGE = reverse("accounts:password")
identifier_text = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=3, max_size=20)
padding = st.text(alphabet=string.ascii_letters + string.digits + "!-", max_size=10)


@given(identifier=identifier_text, before=padding, after=padding)
def test_a_password_containing_the_username_or_phone_is_refused(identifier, before, after):
    problems = password_problems(before + identifier.upper() + after, identifiers=["", identifier])
    assert "密码不能与用户名或手机号相同，不能包含它们，也不能是它们的一部分。" in problems


@given(phone=st.text(alphabet=string.digits, min_size=11, max_size=11), start=st.integers(0, 3))
def test_a_password_that_is_part_of_the_phone_number_is_refused(phone, start):
    assert password_problems(phone[start : start + 8], identifiers=["someone", phone])


@given(char=st.characters(exclude_categories=["Cs"]), times=st.integers(1, 40))
def test_one_character_repeated_is_refused(char, times):
    assert password_problems(char * times, identifiers=[])


@given(spaces=st.text(alphabet=" \t\u3000", min_size=1, max_size=20))
def test_only_spaces_is_refused(spaces):
    assert password_problems(spaces, identifiers=[]) in (["密码不能全是空格。"],)


@given(
    alphabet=st.sampled_from([string.digits, string.ascii_lowercase, string.ascii_uppercase]),
    start=st.integers(0, 25),
    length=st.integers(4, 26),
    backwards=st.booleans(),
)
def test_a_run_of_consecutive_digits_or_letters_is_refused(alphabet, start, length, backwards):
    run = alphabet[start : start + length]
    if len(run) < 4:
        return
    run = run[::-1] if backwards else run
    assert password_problems(run, identifiers=[]) == ["密码不能是连续的数字或字母（如 12345678、abcdefgh）。"]


@given(
    pattern=st.text(alphabet=string.ascii_letters + string.digits, min_size=2, max_size=3),
    times=st.integers(3, 8),
)
def test_a_short_pattern_repeated_is_refused(pattern, times):
    assert password_problems(pattern * times, identifiers=[])


@pytest.mark.parametrize("good", ["Bamboo-river-42", "龙胜乡教工之家2026", "correct-horse-9", "13579abc"])
def test_ordinary_passwords_pass(good):
    assert password_problems(good, identifiers=["li_laoshi", "13900001111"]) == []


def messages_for(password, user=None):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


@pytest.mark.parametrize(
    "password,message",
    [
        ("Ab-1", "密码太短，至少需要 8 个字符。"),
        ("password1", "这个密码太常见，容易被猜到，请换一个。"),
        ("90817263", "密码不能全是数字。"),
        ("12345678", "密码不能是连续的数字或字母（如 12345678、abcdefgh）。"),
        ("abcdefgh", "密码不能是连续的数字或字母（如 12345678、abcdefgh）。"),
        ("        ", "密码不能全是空格。"),
        ("aaaaaaaa", "密码不能由同一个字符重复组成。"),
    ],
)
def test_the_configured_validators_speak_chinese(db, password, message):
    assert message in messages_for(password)


def test_the_validators_know_the_accounts_username_and_phone(db):
    user = User(username="li_laoshi", phone="13900001111")
    assert "密码不能与用户名或手机号相同，不能包含它们，也不能是它们的一部分。" in messages_for(
        "Li_Laoshi-2026", user
    )
    assert "密码不能与用户名或手机号相同，不能包含它们，也不能是它们的一部分。" in messages_for(
        "x13900001111", user
    )


def test_create_user_refuses_a_password_containing_the_username(chair_a, school_a):
    with pytest.raises(InvalidInput) as caught:
        create_user(
            actor=chair_a, org=school_a, username="wangfang", password="wangfang2026", roles=["member"]
        )
    assert "用户名" in caught.value.fields["password"]
    assert not User.objects.filter(username="wangfang").exists()


def test_the_api_refuses_a_blank_like_password_in_chinese(client, chair_a, school_a):
    from jiaogong.accounts.services import create_api_token

    token = create_api_token(chair_a)
    response = client.post(
        f"/api/v1/orgs/{school_a.pk}/users",
        {"username": "zhang", "password": "aaaaaaaaaa", "roles": ["member"]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "密码不能由同一个字符重复组成。" in response.json()["error"]["fields"]["password"]
    assert not User.objects.filter(username="zhang").exists()


# ---- the own password page ---------------------------------------------------------------------


def change(client, old, new, again=None):
    return client.post(
        PASSWORD_PAGE, {"old_password": old, "new_password": new, "new_password_again": again or new}
    )


def test_the_account_menu_links_to_the_password_page(login, chair_a):
    page = login(chair_a).get(reverse("core:home"), follow=True)
    assert PASSWORD_PAGE in page.text and "修改密码" in page.text


def test_a_user_changes_their_password_and_it_is_audited_without_it(login, chair_a):
    client = login(chair_a)
    response = change(client, PASSWORD, "Bamboo-river-42")
    assert response.status_code == 302
    chair_a.refresh_from_db()
    assert chair_a.check_password("Bamboo-river-42")
    assert "密码已修改" in client.get(PASSWORD_PAGE).text
    event = AuditEvent.objects.get(action="accounts.password.change")
    assert event.actor == chair_a
    assert "Bamboo" not in str(event.changes) and PASSWORD not in str(event.changes)


@pytest.mark.parametrize(
    "old,new,again,field_message",
    [
        ("wrong-one", "Bamboo-river-42", None, "原密码不正确。"),
        (PASSWORD, "Bamboo-river-42", "Bamboo-river-43", "两次输入的新密码不一致。"),
        (PASSWORD, PASSWORD, None, "新密码不能与原密码相同。"),
        (
            PASSWORD,
            "chair_a-2026",
            None,
            "密码不能与用户名或手机号相同，不能包含它们，也不能是它们的一部分。",
        ),
        (PASSWORD, "12345678", None, "密码不能是连续的数字或字母（如 12345678、abcdefgh）。"),
        (PASSWORD, "Ab-1", None, "密码太短，至少需要 8 个字符。"),
    ],
)
def test_a_refused_change_says_why_in_chinese_and_changes_nothing(
    login, chair_a, old, new, again, field_message
):
    client = login(chair_a)
    response = change(client, old, new, again)
    assert response.status_code == 200
    assert field_message in response.text
    chair_a.refresh_from_db()
    assert chair_a.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password.change").exists()


def test_an_empty_form_asks_for_every_field(login, chair_a):
    response = login(chair_a).post(PASSWORD_PAGE, {})
    for message in ["请填写原密码。", "请填写新密码。", "请再次输入新密码。"]:
        assert message in response.text


def test_the_password_page_needs_a_login(client, db):
    response = client.get(PASSWORD_PAGE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_password_change_signs_out_other_sessions(client, chair_a):
    from django.test import Client

    other = Client()
    other.force_login(chair_a)
    client.force_login(chair_a)
    change(client, PASSWORD, "Bamboo-river-42")
    assert client.get(PASSWORD_PAGE).status_code == 200
    assert other.get(PASSWORD_PAGE).status_code == 302


def test_guessing_the_old_password_is_throttled_like_a_login(login, settings, chair_a):
    client = login(chair_a)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert "原密码不正确。" in change(client, "guess-again", "Bamboo-river-42").text
    response = change(client, PASSWORD, "Bamboo-river-42")
    assert "尝试次数过多，请 15 分钟后再试。" in response.text
    chair_a.refresh_from_db()
    assert chair_a.check_password(PASSWORD)
