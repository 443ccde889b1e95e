"""Demo reminders for a school: this morning's run of the daily job (what every module says is
due: visits, birthdays, retirements, hardship reviews), without e-mail; the welfare member has
chosen not to get birthday e-mails, and has read the oldest reminder."""

import datetime

from jiaogong.notifications import services, sources
from jiaogong.notifications.models import Notification


def load_notifications(*, actor, school, members, today: datetime.date, seed: int = 1) -> int:
    """Returns how many reminders were written (call after the other modules' demo data)."""
    services.set_preferences(
        actor=actor,
        org=school,
        choices={
            kind: {"in_app": True, "email": bool(actor.email) and kind != "birthdays"}
            for kind in sources.KINDS
        },
    )
    created = services.notify(org=school, items=sources.due_items(school, today))
    first = Notification.objects.filter(org=school, user=actor, in_app=True).order_by("due_on", "id").first()
    if first is not None:
        services.mark_read(actor=actor, notification=first)
    return created
