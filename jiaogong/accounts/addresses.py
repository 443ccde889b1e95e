"""The real client address of a request, behind a trusted proxy (settings.JIAOGONG_TRUSTED_PROXIES).

Behind nginx every request comes from nginx: REMOTE_ADDR is the proxy, the same for everyone,
and counting login failures by it let twenty anonymous failures lock the whole site. The client
is then in X-Forwarded-For, but that header is written by whoever sends the request, so it is
believed only when the peer is one of our proxies, and only as far as the chain is ours: read
from the right, each hop added by a trusted proxy is skipped and the first address a trusted
proxy did not itself add is the client. Anything the client put to the left of it is ignored.
"""

import functools
import ipaddress
from types import SimpleNamespace

from django.conf import settings
from ipware import get_client_ip
from python_ipware.modern.parsers import split_proxy_chain

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address, networks) -> bool:
    if not isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address):
        try:
            address = ipaddress.ip_address(address)
        except ValueError:
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address.version == n.version and address in n for n in networks)


def client_address(request) -> str:
    """The address of the client that sent the request: REMOTE_ADDR unless that is a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "JIAOGONG_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = request.META.get(FORWARDED_HEADER, "") or ""
    chain = split_proxy_chain(forwarded, strict=True)
    if not chain:  # no header, or a malformed one: the proxy itself is all we know
        return peer
    # Hops at the right end added by our own proxies; the one before them is the client.
    hops = 0
    while hops < len(chain) - 1 and _trusted(chain[-1 - hops], networks):
        hops += 1
    ip, _routable = get_client_ip(
        SimpleNamespace(META={FORWARDED_HEADER: forwarded}),
        proxy_count=hops,
        request_header_order=[FORWARDED_HEADER],
        strict=False,
    )
    return ip or peer
