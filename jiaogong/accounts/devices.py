"""A signed "known device" cookie: a browser that logged in to an account is known for it.

Most members log in from a phone, whose address changes with the mobile network, so a known
address alone would leave them exposed to the account lock an attacker can trigger from
elsewhere. At a successful login on the web page the browser gets a cookie signed with the
secret key, naming the accounts logged in from it; an attempt carrying it for the account is
treated as coming from a known address (accounts/throttle.py). Each entry is bound to the
account's password hash, so a password change (or a reset after a stolen phone) forgets it.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE = "jg_device"
SALT = "jiaogong.accounts.known-device"
KEEP = 5  # accounts remembered per browser (a shared office computer)


def _tag(user) -> str:
    return salted_hmac(SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def _entries(cookie: str) -> list[list]:
    if not cookie:
        return []
    try:
        entries = signing.loads(cookie, salt=SALT, max_age=settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400)
    except signing.BadSignature:  # forged, altered or too old
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == 2 and isinstance(e[1], str)]


def knows(cookie: str, user) -> bool:
    """Whether this browser's cookie says it logged in to `user` (with the current password)."""
    if user is None:
        return False
    tag = _tag(user)
    return any(e[0] == user.pk and constant_time_compare(e[1], tag) for e in _entries(cookie))


def remember(response, cookie: str, user, *, secure: bool) -> None:
    """Add `user` to the browser's known accounts (the most recent first, at most KEEP)."""
    entries = [[user.pk, _tag(user)]] + [e for e in _entries(cookie) if e[0] != user.pk]
    response.set_cookie(
        COOKIE,
        signing.dumps(entries[:KEEP], salt=SALT, compress=True),
        max_age=settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400,
        httponly=True,
        secure=secure,
        samesite="Lax",
    )
