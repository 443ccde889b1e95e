"""Accounts: login with throttling, API tokens, users and their roles."""

import datetime
import functools
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from jiaogong.accounts.models import ApiToken, LoginFailure, RoleGrant, User
from jiaogong.core import audit
from jiaogong.core.db import prepared_cursor
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.permissions import ROLES


class LoginLocked(DomainError):
    status = 429


def _window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def is_locked(identifier: str, address: str = "") -> bool:
    """Locked when the identifier, or the address, has too many recent failures."""
    since = _window_start()
    limit = settings.LOGIN_MAX_FAILURES
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(identifier=identifier.strip().lower()).count() >= limit:
        return True
    # An address gets more room: a school's staff often share one NAT address.
    return bool(address) and recent.filter(address=address).count() >= limit * 4


def login_user(*, identifier: str, password: str, address: str = "", request=None) -> User:
    """Check the credentials under throttling. Raises LoginLocked or DomainError."""
    ident = (identifier or "").strip()
    if is_locked(ident, address):
        raise LoginLocked("login_locked", f"登录失败次数过多，请 {settings.LOGIN_LOCK_MINUTES} 分钟后再试。")
    user = authenticate(request, username=ident, password=password or "")
    if user is None:
        LoginFailure.objects.create(identifier=ident.lower(), address=address)
        raise DomainError("bad_credentials", "用户名（或手机号）或密码不正确。")
    LoginFailure.objects.filter(identifier=ident.lower()).delete()
    return user


def create_api_token(user: User) -> str:
    token = "jg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), prefix=token[:8])
    audit.record(actor=user, org=None, action="accounts.token.create", obj=user)
    return token


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
        cursor.execute(sql, [ApiToken.digest_of(token)])
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
        validate_password(password or "")
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


@transaction.atomic
def set_own_password(*, user: User, new_password: str) -> None:
    """The user chose a new password (the form checked the old one and the validators); a one-time
    password is thereby spent. The audit row never holds a password."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor=user, org=None, action="accounts.user.password_change", obj=user)


class PasswordChangeRequired(DomainError):
    """A login with a one-time password asked for an API token before choosing its own password."""

    status = 403

    def __init__(self):
        from jiaogong.accounts.middleware import MESSAGE

        super().__init__("password_change_required", MESSAGE)


def refuse_one_time_password(user: User) -> None:
    if user.must_change_password:
        raise PasswordChangeRequired()
