import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

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
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self):
        return f"{self.user} · {self.prefix}…"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class LoginFailure(models.Model):
    """A failed login, kept for throttling (by identifier and by address)."""

    identifier = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.identifier} @ {self.at:%Y-%m-%d %H:%M}"
