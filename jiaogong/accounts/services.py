"""Accounts: login with throttling, API tokens, users and their roles."""

import datetime
import functools
import math
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from jiaogong.accounts import devices, throttle
from jiaogong.accounts.backends import user_for_identifier
from jiaogong.accounts.models import (
    ApiToken,
    KnownAddress,
    LoginFailure,
    RoleGrant,
    User,
    changing_password_as,
)
from jiaogong.core import audit
from jiaogong.core.db import prepared_cursor
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.permissions import ROLES


class LoginLocked(DomainError):
    status = 429


def _limits() -> throttle.Limits:
    return throttle.Limits(
        per_pair=settings.LOGIN_MAX_FAILURES,
        per_account=settings.LOGIN_MAX_FAILURES,
        per_address=settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
        window=datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES),
    )


def account_key(user: User | None, identifier: str) -> str:
    """What failures count under: the account, whichever identifier was typed for it."""
    return (
        f"user:{user.pk}" if user is not None else "name:" + throttle.normalise_identifier(identifier)[:150]
    )


def _is_known_address(user: User | None, address: str, now) -> bool:
    if user is None:
        return False
    since = now - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return KnownAddress.objects.filter(user=user, address=address, last_success_at__gte=since).exists()


def login_refusal(
    *, user: User | None, identifier: str, address: str, known: bool | None = None
) -> datetime.timedelta | None:
    """None when this attempt may have its password checked, else how long until it may.
    `known`: the attempt comes from an address (or a browser) known for the account."""
    now = timezone.now()
    limits = _limits()
    key = account_key(user, identifier)
    rows = LoginFailure.objects.filter(at__gt=now - limits.window).filter(
        Q(identifier=key) | Q(address=address)
    )
    failures = [
        throttle.Failure(account=r.identifier, address=r.address, at=r.at, known=r.known_address)
        for r in rows
    ]
    return throttle.refusal(
        account=key,
        address=address,
        known=_is_known_address(user, address, now) if known is None else known,
        failures=failures,
        now=now,
        limits=limits,
    )


def login_user(
    *, identifier: str, password: str, address: str = "", device_cookie: str = "", request=None
) -> User:
    """Check the credentials under throttling (accounts/throttle.py). Raises LoginLocked or DomainError.

    `address` is the client's real address (accounts/addresses.py: client_address);
    `device_cookie` the browser's known-device cookie (accounts/devices.py), if any."""
    ident = (identifier or "").strip()
    address = (address or "")[:45]
    account = user_for_identifier(ident)
    known = _is_known_address(account, address, timezone.now()) or devices.knows(device_cookie, account)
    wait = login_refusal(user=account, identifier=ident, address=address, known=known)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        raise LoginLocked(
            "login_locked",
            f"登录尝试次数过多，请 {minutes} 分钟后再试。",
            extra={"retry_after": math.ceil(wait.total_seconds())},
        )
    user = authenticate(request, username=ident, password=password or "")
    if user is None:
        # Failures older than the window count for nothing: a flood does not pile up rows.
        LoginFailure.objects.filter(at__lte=timezone.now() - _limits().window).delete()
        LoginFailure.objects.create(
            identifier=account_key(account, ident),
            address=address,
            known_address=known,
        )
        raise DomainError("bad_credentials", "用户名（或手机号）或密码不正确。")
    LoginFailure.objects.filter(identifier=account_key(user, ident), address=address).delete()
    now = timezone.now()
    KnownAddress.objects.update_or_create(user=user, address=address, defaults={"last_success_at": now})
    forgotten = now - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    KnownAddress.objects.filter(user=user, last_success_at__lt=forgotten).delete()
    return user


def create_api_token(user: User, *, name: str = "", actor=None) -> str:
    """A new token for `user`, valid settings.API_TOKEN_DAYS days; the token is returned once."""
    name = (name or "").strip()
    if len(name) > 60:
        raise InvalidInput({"name": "名称不能超过 60 个字。"})
    token = "jg_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    row = ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.digest_of(token), prefix=token[:8], expires_at=expires_at
    )
    audit.record(
        actor=actor or user,
        org=None,
        action="accounts.token.create",
        obj=user,
        changes={"token": [None, row.pk], "name": [None, name], "expires_at": [None, str(expires_at)]},
    )
    return token


def tokens_of(user: User):
    """The user's tokens not revoked, newest first (expired ones too: their owner sees why)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")


@transaction.atomic
def revoke_api_token(*, actor: User, token_id, any_user: bool = False) -> ApiToken:
    """Revoke one of the actor's own tokens; with `any_user`, a superuser revokes anyone's (the
    admin). A token the actor may not revoke is not found, whether it exists or not."""
    if any_user and not actor.is_superuser:
        raise PermissionDenied("只有系统管理员可以作废他人的令牌。")
    tokens = ApiToken.objects.select_for_update()
    if not any_user:
        tokens = tokens.filter(user=actor)
    try:
        token = tokens.get(pk=int(token_id), revoked_at__isnull=True)
    except (ApiToken.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该令牌。") from None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        org=None,
        action="accounts.token.revoke",
        obj=token.user,
        changes={"token": [token.pk, None], "name": [token.name, None]},
    )
    return token


def password_changed(user: User, *, actor=None) -> None:
    """Called by User.save after any password change: revoke the user's tokens, audit the change."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(
        actor=actor,
        org=None,
        action="accounts.password.change",
        obj=user,
        changes={"password": ["***", "***"], "tokens_revoked": [None, revoked]},
    )


def change_own_password(
    *, user: User, old_password: str, new_password: str, new_password_again: str, address: str = ""
) -> User:
    """The user changes their own password: the old one must be right, the new one pass the rules.

    A wrong old password is a login failure of the account from `address` (the same throttling:
    whoever found a signed-in browser cannot guess the password to take the account over)."""
    address = (address or "")[:45]
    wait = login_refusal(user=user, identifier=user.username, address=address, known=True)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        raise InvalidInput({"old_password": f"尝试次数过多，请 {minutes} 分钟后再试。"})
    if not user.check_password(old_password or ""):
        LoginFailure.objects.create(identifier=account_key(user, ""), address=address, known_address=True)
        raise InvalidInput({"old_password": "原密码不正确。"})
    return _set_new_password(
        user=user, new_password=new_password, new_password_again=new_password_again, old_password=old_password
    )


@transaction.atomic
def _set_new_password(*, user: User, old_password: str, new_password: str, new_password_again: str) -> User:
    errors = {}
    if not new_password:
        errors["new_password"] = "请填写新密码。"
    elif new_password != new_password_again:
        errors["new_password_again"] = "两次输入的新密码不一致。"
    elif new_password == old_password:
        errors["new_password"] = "新密码不能与原密码相同。"
    else:
        try:
            validate_password(new_password, user)
        except ValidationError as e:
            errors["new_password"] = "；".join(e.messages)
    if errors:
        raise InvalidInput(errors)
    with changing_password_as(user):
        user.set_password(new_password)
        user.must_change_password = False  # a one-time password is spent
        user.save()
    return user


@functools.cache
def _token_sql() -> tuple[str, list[str], list]:
    """The token lookup as one SQL statement, built once: every API call runs it, and compiling
    the equivalent queryset cost more than running it (a third of a ballot's time)."""
    qn = connection.ops.quote_name
    fields = [f.attname for f in User._meta.concrete_fields]
    columns = ", ".join(f"u.{qn(User._meta.get_field(a).column)}" for a in fields)
    sql = (
        f"SELECT t.{qn('id')}, t.{qn('last_used_at')}, {columns}"
        f" FROM {qn(ApiToken._meta.db_table)} t JOIN {qn(User._meta.db_table)} u"
        f" ON u.{qn('id')} = t.{qn('user_id')} WHERE t.{qn('digest')} = %s"
        f" AND t.{qn('revoked_at')} IS NULL AND t.{qn('expires_at')} > %s"
    )
    # What the ORM would apply to each column read back (booleans and datetimes on SQLite).
    converters = []
    for field in [ApiToken._meta.get_field("last_used_at")] + [User._meta.get_field(a) for a in fields]:
        col = field.get_col(field.model._meta.db_table)
        converters.append([*connection.ops.get_db_converters(col), *field.get_db_converters(connection)])
    return sql, fields, converters


def user_for_token(token: str) -> User | None:
    sql, fields, converters = _token_sql()
    with prepared_cursor() as cursor:
        cursor.execute(
            sql, [ApiToken.digest_of(token), connection.ops.adapt_datetimefield_value(timezone.now())]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, values = row[0], list(row[1:])
    for i, convert_all in enumerate(converters):
        field = User._meta.get_field(fields[i - 1]) if i else ApiToken._meta.get_field("last_used_at")
        for convert in convert_all:
            values[i] = convert(values[i], field, connection)
    last_used_at, user = values[0], User.from_db(connection.alias, fields, values[1:])
    if not user.is_active:
        return None
    now = timezone.now()
    if last_used_at is None or now - last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


@transaction.atomic
def create_user(
    *, actor, org, username: str, password: str, roles: list[str], member=None, phone: str = ""
) -> User:
    errors = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = "请填写用户名。"
    elif User.objects.filter(username=username).exists():
        errors["username"] = "该用户名已被使用。"
    if phone and User.objects.filter(phone=phone).exists():
        errors["phone"] = "该手机号已被其他账号使用。"
    bad = [r for r in roles if r not in ROLES]
    if bad:
        errors["roles"] = "未知的角色：" + "、".join(bad)
    elif org.is_federation and set(roles) - {"federation_officer", "chair", "vice_chair"}:
        errors["roles"] = "上级工会只能设置上级工会干部、主席、副主席角色。"
    elif not org.is_federation and "federation_officer" in roles:
        errors["roles"] = "上级工会干部角色只能设在上级工会。"
    elif not roles:
        errors["roles"] = "请至少选择一个角色。"
    if member is not None and member.org_id != org.pk:
        errors["member"] = "没有找到该会员。"
    elif member is not None and User.objects.filter(member=member).exists():
        errors["member"] = "该会员已有账号。"
    try:
        # Checked against the account being made: the password may not contain its username or phone.
        validate_password(password or "", User(username=username, phone=phone or ""))
    except ValidationError as e:
        errors["password"] = "；".join(e.messages)
    if errors:
        raise InvalidInput(errors)
    user = User(username=username, member=member, phone=phone)
    if member is not None:
        user.first_name = member.name
    user.set_password(password)
    user.save()
    for role in sorted(set(roles)):
        RoleGrant.objects.create(user=user, org=org, role=role)
    audit.record(
        actor=actor,
        org=org,
        action="accounts.user.create",
        obj=user,
        changes={"username": [None, username], "roles": [None, sorted(set(roles))]},
    )
    return user


class PasswordChangeRequired(DomainError):
    """A login with a one-time password asked for an API token before choosing its own password."""

    status = 403

    def __init__(self):
        from jiaogong.accounts.middleware import MESSAGE

        super().__init__("password_change_required", MESSAGE)


def refuse_one_time_password(user: User) -> None:
    if user.must_change_password:
        raise PasswordChangeRequired()
