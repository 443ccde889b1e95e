"""The real client address (accounts/addresses.py): X-Forwarded-For only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from jiaogong.accounts.addresses import client_address


def request(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def behind_nginx(settings):
    settings.JIAOGONG_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.JIAOGONG_TRUSTED_PROXIES = []
    assert client_address(request("127.0.0.1", "203.0.113.9")) == "127.0.0.1"


def test_from_a_trusted_proxy_the_forwarded_client_is_used(behind_nginx):
    assert client_address(request("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


def test_from_an_untrusted_peer_a_forged_header_is_ignored(behind_nginx):
    assert client_address(request("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_a_client_cannot_prepend_an_address_through_the_proxy(behind_nginx):
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    assert client_address(request("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_our_own_proxies_is_walked_back_to_the_client(behind_nginx):
    assert client_address(request("127.0.0.1", "1.2.3.4, 203.0.113.9, 10.1.2.3")) == "203.0.113.9"


def test_a_client_inside_the_trusted_network_is_itself_the_client(behind_nginx):
    assert client_address(request("127.0.0.1", "10.9.9.9")) == "10.9.9.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.9, garbage"])
def test_a_trusted_proxy_without_a_usable_header_is_taken_as_the_client(behind_nginx, forwarded):
    assert client_address(request("127.0.0.1", forwarded)) == "127.0.0.1"


def test_ipv6_clients_and_proxies(settings):
    settings.JIAOGONG_TRUSTED_PROXIES = ["::1/128"]
    assert client_address(request("::1", "2001:db8::7")) == "2001:db8::7"
    assert client_address(request("2001:db8::8", "2001:db8::7")) == "2001:db8::8"


def test_a_bad_proxy_setting_fails_loudly():
    from jiaogong.config.settings import _trusted_proxies

    assert _trusted_proxies(" 127.0.0.1, 10.0.0.0/8 ,") == ["127.0.0.1/32", "10.0.0.0/8"]
    with pytest.raises(ValueError, match="JIAOGONG_TRUSTED_PROXIES"):
        _trusted_proxies("nginx.local")
