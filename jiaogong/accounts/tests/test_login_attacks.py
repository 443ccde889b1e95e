"""Login throttling played by the attacker, through the login page and POST /api/v1/auth/token."""

import pytest
from django.conf import settings
from django.urls import reverse

from jiaogong.accounts import devices
from jiaogong.accounts.models import ApiToken, KnownAddress, LoginFailure
from jiaogong.conftest import PASSWORD
from jiaogong.factories import UserFactory, grant

LOGIN = reverse("accounts:login")
TOKEN = "/api/v1/auth/token"
PROXY = "127.0.0.1"


@pytest.fixture
def teacher(school_a):
    return grant(UserFactory(username="li_laoshi", phone="13900001111"), school_a, "member")


def web_login(client, identifier, password, address):
    return client.post(LOGIN, {"identifier": identifier, "password": password}, REMOTE_ADDR=address)


def via_proxy(client, identifier, password, real_address):
    return client.post(
        LOGIN,
        {"identifier": identifier, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=real_address,
    )


def signed_in(response):
    return response.status_code == 302


def test_the_phone_number_does_not_bypass_the_account_lock(client, teacher):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        web_login(client, "li_laoshi", "wrong-password", "198.51.100.1")
    response = web_login(client, "13900001111", PASSWORD, "198.51.100.2")
    assert not signed_in(response)
    assert "登录尝试次数过多，请 15 分钟后再试。" in response.text


def test_failures_by_username_and_by_phone_add_up(client, teacher):
    for i in range(settings.LOGIN_MAX_FAILURES):
        web_login(client, ["li_laoshi", " 13900001111 "][i % 2], "wrong-password", f"198.51.100.{i}")
    assert LoginFailure.objects.filter(identifier=f"user:{teacher.pk}").count() == settings.LOGIN_MAX_FAILURES
    assert not signed_in(web_login(client, "li_laoshi", PASSWORD, "198.51.100.99"))


def test_an_unknown_identifier_counts_under_its_normalised_form(client, db):
    for spelling in ["Ghost", " ghost", "GHOST ", "g host", "ghost"]:
        web_login(client, spelling, "x", "198.51.100.1")
    assert set(LoginFailure.objects.values_list("identifier", flat=True)) == {"name:ghost"}
    assert "登录尝试次数过多" in web_login(client, "ghost", "x", "198.51.100.2").text


def test_anonymous_failures_behind_the_proxy_do_not_lock_the_site(client, settings, chair_a, teacher):
    """The hole: behind nginx every request came from the proxy, so 20 failures locked everyone."""
    settings.JIAOGONG_TRUSTED_PROXIES = [f"{PROXY}/32"]
    for i in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS * 2):
        via_proxy(client, f"nobody{i}", "x", "198.51.100.66")
    assert "登录尝试次数过多" in via_proxy(client, "nobody", "x", "198.51.100.66").text
    assert signed_in(via_proxy(client, "chair_a", PASSWORD, "203.0.113.10"))
    assert signed_in(via_proxy(client, "13900001111", PASSWORD, "203.0.113.11"))


def test_a_forged_forwarded_header_does_not_escape_the_address_lock(client, settings, db):
    settings.JIAOGONG_TRUSTED_PROXIES = [f"{PROXY}/32"]
    for i in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS):
        client.post(
            LOGIN,
            {"identifier": f"nobody{i}", "password": "x"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.66"}
    assert LoginFailure.objects.count() == settings.LOGIN_MAX_FAILURES_PER_ADDRESS


def test_a_school_sharing_one_address_keeps_working_when_someone_there_floods_it(client, chair_a, teacher):
    """No proxy configured: the school's NAT is one address for all its staff."""
    school = "198.51.100.20"
    assert signed_in(web_login(client, "chair_a", PASSWORD, school))
    client.logout()
    for i in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS * 2):
        web_login(client, f"nobody{i}", "x", school)
    assert signed_in(web_login(client, "chair_a", PASSWORD, school))
    client.logout()
    # Someone who never logged in from there waits (the flood counts against the address).
    assert "登录尝试次数过多" in web_login(client, "li_laoshi", PASSWORD, school).text
    assert signed_in(web_login(client, "li_laoshi", PASSWORD, "203.0.113.5"))


def test_an_attacker_elsewhere_cannot_lock_the_victim_out_of_their_usual_address(client, teacher):
    home = "203.0.113.50"
    assert signed_in(web_login(client, "li_laoshi", PASSWORD, home))
    client.logout()
    for i in range(settings.LOGIN_MAX_FAILURES * 3):
        web_login(client, ["li_laoshi", "13900001111"][i % 2], "guess", f"198.51.100.{i}")
    # From a new address the account is locked (the brute force is stopped) ...
    assert "登录尝试次数过多" in web_login(client, "li_laoshi", PASSWORD, "198.51.100.200").text
    # ... but the teacher, from home, gets in.
    assert signed_in(web_login(client, "li_laoshi", PASSWORD, home))


def test_a_success_remembers_the_address_and_forgets_that_addresses_failures(client, teacher):
    web_login(client, "li_laoshi", "typo", "203.0.113.50")
    web_login(client, "li_laoshi", "typo", "198.51.100.9")
    assert signed_in(web_login(client, "li_laoshi", PASSWORD, "203.0.113.50"))
    assert KnownAddress.objects.filter(user=teacher, address="203.0.113.50").exists()
    assert list(LoginFailure.objects.values_list("address", flat=True)) == ["198.51.100.9"]


def test_a_locked_attempt_is_not_even_checked(client, teacher):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        web_login(client, "li_laoshi", "guess", "198.51.100.1")
    web_login(client, "li_laoshi", "guess", "198.51.100.1")
    assert LoginFailure.objects.count() == settings.LOGIN_MAX_FAILURES


def test_the_token_endpoint_shares_the_throttling_and_reports_the_wait(client, teacher):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        web_login(client, "li_laoshi", "guess", "198.51.100.1")
    response = client.post(
        TOKEN,
        {"username": "13900001111", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.2",
    )
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "login_locked"
    assert error["message"] == "登录尝试次数过多，请 15 分钟后再试。"
    assert 0 < error["retry_after"] <= 15 * 60
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_uses_the_real_client_address(client, settings, teacher):
    settings.JIAOGONG_TRUSTED_PROXIES = [f"{PROXY}/32"]
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(
            TOKEN,
            {"username": "li_laoshi", "password": "guess"},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.1"}


def test_old_failures_and_old_known_addresses_are_pruned(client, teacher):
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS + 1)
    KnownAddress.objects.create(user=teacher, address="203.0.113.1", last_success_at=long_ago)
    stale = LoginFailure.objects.create(identifier="name:old", address="198.51.100.3")
    LoginFailure.objects.filter(pk=stale.pk).update(at=long_ago)
    web_login(client, "nobody", "x", "198.51.100.4")
    assert not LoginFailure.objects.filter(pk=stale.pk).exists()
    # The address known long ago is not known any more: it does not exempt the login from the lock.
    assert signed_in(web_login(client, "li_laoshi", PASSWORD, "203.0.113.2"))
    assert list(KnownAddress.objects.filter(user=teacher).values_list("address", flat=True)) == [
        "203.0.113.2"
    ]


def test_the_pages_with_secrets_are_not_cached(login, chair_a):
    client = login(chair_a)
    for name in ["accounts:tokens", "accounts:password"]:
        assert "no-store" in client.get(reverse(name))["Cache-Control"]


def test_an_address_known_too_long_ago_no_longer_exempts_from_the_account_lock(client, teacher):
    import datetime

    from django.utils import timezone

    home = "203.0.113.50"
    long_ago = timezone.now() - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS + 1)
    KnownAddress.objects.create(user=teacher, address=home, last_success_at=long_ago)
    for i in range(settings.LOGIN_MAX_FAILURES):
        web_login(client, "li_laoshi", "guess", f"198.51.100.{i}")
    assert "登录尝试次数过多" in web_login(client, "li_laoshi", PASSWORD, home).text
    KnownAddress.objects.filter(user=teacher).update(last_success_at=timezone.now())
    assert signed_in(web_login(client, "li_laoshi", PASSWORD, home))


# ---- the known-device cookie (accounts/devices.py) ---------------------------------------------


def lock_from_elsewhere(client, identifier):
    for i in range(settings.LOGIN_MAX_FAILURES):
        web_login(client, identifier, "guess", f"198.51.100.{i}")


def test_a_phone_that_logged_in_before_gets_in_from_a_new_address_despite_the_account_lock(client, teacher):
    from django.test import Client

    phone = Client()
    assert signed_in(web_login(phone, "13900001111", PASSWORD, "203.0.113.7"))
    cookie = phone.cookies[devices.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    phone.session.flush()  # signed out (Client.logout would also drop the cookies)
    lock_from_elsewhere(client, "li_laoshi")
    assert "登录尝试次数过多" in web_login(client, "li_laoshi", PASSWORD, "203.0.113.99").text
    assert signed_in(web_login(phone, "li_laoshi", PASSWORD, "203.0.113.99"))


def test_a_forged_or_borrowed_device_cookie_does_not_help(client, teacher, chair_a):
    from django.test import Client

    chairs_browser = Client()
    assert signed_in(web_login(chairs_browser, "chair_a", PASSWORD, "203.0.113.7"))
    chairs_browser.session.flush()
    lock_from_elsewhere(client, "li_laoshi")
    # The chair's browser is known for the chair, not for the teacher.
    assert "登录尝试次数过多" in web_login(chairs_browser, "li_laoshi", PASSWORD, "203.0.113.99").text
    forged = devices.signing.dumps([[teacher.pk, "0" * 32]], salt="other-salt")
    client.cookies[devices.COOKIE] = forged
    assert "登录尝试次数过多" in web_login(client, "li_laoshi", PASSWORD, "203.0.113.99").text
    client.cookies[devices.COOKIE] = chairs_browser.cookies[devices.COOKIE].value[:-2] + "xx"
    assert "登录尝试次数过多" in web_login(client, "li_laoshi", PASSWORD, "203.0.113.99").text


def test_a_password_change_forgets_the_devices(client, teacher):
    from django.test import Client

    phone = Client()
    assert signed_in(web_login(phone, "li_laoshi", PASSWORD, "203.0.113.7"))
    phone.session.flush()  # signed out (Client.logout would also drop the cookies)
    teacher.refresh_from_db()
    teacher.set_password("Bamboo-river-42")
    teacher.save()
    lock_from_elsewhere(client, "li_laoshi")
    assert "登录尝试次数过多" in web_login(phone, "li_laoshi", "Bamboo-river-42", "203.0.113.99").text


def test_a_browser_remembers_a_few_accounts_at_most(client, school_a):
    users = [grant(UserFactory(username=f"shared{i}"), school_a, "member") for i in range(devices.KEEP + 1)]
    for user in users:
        assert signed_in(web_login(client, user.username, PASSWORD, "203.0.113.7"))
    cookie = client.cookies[devices.COOKIE].value
    assert [devices.knows(cookie, u) for u in users] == [False] + [True] * devices.KEEP
