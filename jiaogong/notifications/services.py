"""Every write of the reminders: the notifications of the due items (once per user and item),
their e-mails (at most once each), read marks and preferences."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import Org
from jiaogong.notifications import sources
from jiaogong.notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

# A failed e-mail is tried again on the next runs, this many times in all.
MAX_EMAIL_ATTEMPTS = 5
# A send claimed by a worker that died before recording the outcome is taken up again after this.
CLAIM_TIMEOUT = datetime.timedelta(hours=6)
SUBJECT_PREFIX = "【教工之家】"


@dataclass(frozen=True)
class Choice:
    in_app: bool
    email: bool


def effective_choice(pref: NotificationPreference | None, email_address: str) -> Choice:
    """What a user gets for a kind: their saved choice, else in-app on and e-mail on; e-mail only
    with an address."""
    in_app = pref.in_app if pref is not None else True
    email = pref.email if pref is not None else True
    return Choice(in_app=in_app, email=email and bool(email_address))


def choices_for(user) -> dict[str, Choice]:
    """{kind: Choice} for every kind, for the preferences page."""
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    return {kind: effective_choice(saved.get(kind), user.email) for kind in sources.KINDS}


# ---- creating the notifications -----------------------------------------------------------------


@transaction.atomic
def notify(*, org, items) -> int:
    """One notification per (item, recipient) the recipient's preferences allow, unless it exists.

    Returns how many were created. The (user, key) unique constraint makes a concurrent run
    harmless: its rows are skipped (ignore_conflicts), never doubled.
    """
    items = [i for i in items if i.org_id == org.pk]
    user_ids = {u for i in items for u in i.recipients}
    if not user_ids:
        return 0
    User = get_user_model()
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids, is_active=True).only("id", "email")}
    prefs = {(p.user_id, p.kind): p for p in NotificationPreference.objects.filter(user_id__in=users.keys())}
    existing = set(
        Notification.objects.filter(user_id__in=users.keys(), key__in={i.key for i in items}).values_list(
            "user_id", "key"
        )
    )
    rows = []
    for item in items:
        for user_id in item.recipients:
            user = users.get(user_id)
            if user is None or (user_id, item.key) in existing:
                continue
            choice = effective_choice(prefs.get((user_id, item.kind)), user.email)
            if not (choice.in_app or choice.email):
                continue
            existing.add((user_id, item.key))
            rows.append(
                Notification(
                    org=org,
                    user_id=user_id,
                    key=item.key,
                    kind=item.kind,
                    title=item.title[:200],
                    body=item.body,
                    url=item.url[:500],
                    due_on=item.due_on,
                    overdue=item.overdue,
                    in_app=choice.in_app,
                    email_wanted=choice.email,
                    email_to=user.email if choice.email else "",
                )
            )
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


# ---- e-mail -------------------------------------------------------------------------------------


def site_url() -> str:
    return getattr(settings, "JIAOGONG_SITE_URL", "").rstrip("/")


def email_of(n: Notification) -> EmailMessage:
    base = site_url()
    name = n.user.get_full_name() or n.user.username
    lines = [f"{name}，您好：", "", n.title]
    if n.body:
        lines.append(n.body)
    if n.url:
        lines += ["", f"查看和办理：{base}{n.url}"]
    lines += [
        "",
        f"—— {n.org.name} · 教工之家",
        f"不想收到这类邮件，可在“提醒设置”中关闭：{base}{reverse('notifications:preferences', args=[n.org_id])}",
    ]
    return EmailMessage(subject=f"{SUBJECT_PREFIX}{n.title}", body="\n".join(lines), to=[n.email_to])


def _claimable(now) -> Q:
    return Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT)


def send_pending_emails(*, limit: int = 2000) -> dict:
    """Send the e-mails not sent yet (new ones and earlier failures), each at most once.

    Each row is claimed by a conditional UPDATE before it is sent, so two workers never send the
    same one; a success records `emailed_at`, a failure releases the claim for the next run.
    """
    now = timezone.now()
    pending = list(
        Notification.objects.filter(
            _claimable(now), email_wanted=True, emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS
        )
        .select_related("org", "user")
        .order_by("id")[:limit]
    )
    sent = failed = 0
    if not pending:
        return {"sent": 0, "failed": 0}
    connection = get_connection()
    try:
        for n in pending:
            claimed = Notification.objects.filter(_claimable(now), pk=n.pk, emailed_at__isnull=True).update(
                email_claimed_at=now
            )
            if not claimed:
                continue
            message = email_of(n)
            message.connection = connection
            try:
                message.send()
            except Exception as e:  # noqa: BLE001 - any failure of the mail server is retried next run
                logger.warning("reminder e-mail %s to %s failed: %s", n.pk, n.email_to, e)
                Notification.objects.filter(pk=n.pk).update(
                    email_claimed_at=None, email_attempts=F("email_attempts") + 1, email_error=str(e)[:300]
                )
                failed += 1
            else:
                Notification.objects.filter(pk=n.pk).update(
                    emailed_at=timezone.now(), email_attempts=F("email_attempts") + 1, email_error=""
                )
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not hide the results
            logger.warning("closing the mail connection failed", exc_info=True)
    return {"sent": sent, "failed": failed}


# ---- the daily run ------------------------------------------------------------------------------


class DailyRunFailed(RuntimeError):
    """Some schools' sources failed (the others were done); the task is marked failed."""


def run_daily(today: datetime.date) -> dict:
    """For every school: the due items → notifications; then the e-mails not sent yet."""
    created = 0
    failed_orgs = []
    for org in Org.objects.filter(kind=Org.Kind.SCHOOL).order_by("pk"):
        try:
            created += notify(org=org, items=sources.due_items(org, today))
        except Exception:
            logger.exception("reminders for org %s failed", org.pk)
            failed_orgs.append(org.pk)
    mail = send_pending_emails()
    result = {
        "date": today.isoformat(),
        "created": created,
        "emailed": mail["sent"],
        "email_failed": mail["failed"],
    }
    if failed_orgs:
        raise DailyRunFailed(f"reminders failed for orgs {failed_orgs}; done: {result}")
    return result


# ---- the inbox ----------------------------------------------------------------------------------


def mark_read(*, actor, notification: Notification) -> Notification:
    """Mark the user's own notification read (idempotent)."""
    if notification.user_id != actor.pk:
        raise PermissionDenied("只能标记自己的提醒。")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, actor, org) -> int:
    return Notification.objects.filter(user=actor, org=org, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_preferences(*, actor, org, choices: dict[str, dict[str, bool]]) -> dict[str, Choice]:
    """Save the user's choice for every kind. `choices` = {kind: {"in_app": bool, "email": bool}}.

    Raises InvalidInput for an unknown kind, or e-mail asked for without an e-mail address.
    """
    unknown = set(choices) - set(sources.KINDS)
    if unknown:
        raise InvalidInput({"__all__": "没有这种提醒类型。"})
    if not actor.email and any(c.get("email") for c in choices.values()):
        raise InvalidInput(
            {"__all__": "您的账号没有填写电子邮箱，无法接收邮件提醒。请先请工会主席在账号中填写邮箱。"}
        )
    before = {k: (c.in_app, c.email) for k, c in choices_for(actor).items()}
    for kind, c in choices.items():
        NotificationPreference.objects.update_or_create(
            user=actor,
            kind=kind,
            defaults={"in_app": bool(c.get("in_app")), "email": bool(c.get("email"))},
        )
    after = choices_for(actor)
    changes = {
        kind: [list(before[kind]), [after[kind].in_app, after[kind].email]]
        for kind in sources.KINDS
        if before[kind] != (after[kind].in_app, after[kind].email)
    }
    if changes:
        audit.record(
            actor=actor, org=org, action="notifications.preferences.update", obj=actor, changes=changes
        )
    return after
