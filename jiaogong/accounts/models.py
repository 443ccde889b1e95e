import contextlib
import contextvars
import hashlib

from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from jiaogong.core.permissions import ROLES


class User(AbstractUser):
    """A login. May be linked to the member it belongs to (a teacher's own account)."""

    phone = models.CharField("手机号", max_length=20, blank=True)
    member = models.OneToOneField(
        "members.Member",
        verbose_name="对应会员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # Set on a login made with a one-time password (the first administrator of `manage.py serve`):
    # until a new password is chosen every page leads to the password form (accounts/middleware.py).
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="user_unique_phone"
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Every way a password changes ends here (the user's own page, Django admin's set-password
        # or "disable password login", `manage.py changepassword`, a script): the API tokens issued
        # under the old password stop working and the change is audited, without the password.
        # A new password, or none at all (unusable); not a rehash of the same password by a newer
        # hasher (check_password saves it with _password cleared), and not a first password for a
        # login made without one (a factory, the demo): that replaces nothing.
        update_fields = kwargs.get("update_fields")
        changed = False
        if (
            not self._state.adding
            and (update_fields is None or "password" in update_fields)
            and (self._password is not None or not is_password_usable(self.password))
        ):
            stored = User.objects.filter(pk=self.pk).values_list("password", flat=True).first()
            changed = _replaces_a_password(stored) and stored != self.password
        super().save(*args, **kwargs)
        if changed:
            from jiaogong.accounts.services import password_changed

            password_changed(self, actor=password_actor.get())


def _replaces_a_password(stored: str | None) -> bool:
    return bool(stored) and is_password_usable(stored)


# Who is changing a password, for the audit row written by User.save (the admin's set-password
# view and the services set it; a command line change leaves it empty).
password_actor: contextvars.ContextVar = contextvars.ContextVar("password_actor", default=None)


@contextlib.contextmanager
def changing_password_as(actor):
    token = password_actor.set(actor)
    try:
        yield
    finally:
        password_actor.reset(token)


class RoleGrant(models.Model):
    """A role held by a user in one org (API.md roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    org = models.ForeignKey("core.Org", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=list(ROLES.items()))
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="role_grant_unique")]

    def __str__(self):
        return f"{self.user} · {self.org} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once.

    It works until `expires_at` (settings.API_TOKEN_DAYS after it was issued) unless revoked
    earlier: by its owner, by an administrator, or by a change of the owner's password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("名称", max_length=60, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("开头", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.user} · {self.name or self.prefix + '…'}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class LoginFailure(models.Model):
    """A failed login, kept for throttling (accounts/throttle.py).

    `identifier` is the account: "user:<id>" whatever was typed (username or phone), or
    "name:<normalised identifier>" when no account has it."""

    identifier = models.CharField(max_length=160, db_index=True)
    address = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    known_address = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.identifier} @ {self.at:%Y-%m-%d %H:%M}"


class KnownAddress(models.Model):
    """An address the user logged in from successfully: the account lock does not apply there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_addresses")
    address = models.CharField(max_length=45)
    last_success_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "address"], name="known_address_unique")]

    def __str__(self):
        return f"{self.user} @ {self.address}"
