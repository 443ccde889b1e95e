"""The audit trail: every write records actor, time, action code, object and changed fields."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile

from jiaogong.core.models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.date | datetime.datetime | Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The instance's concrete field values as JSON-able plain values (FKs as ids)."""
    names = fields or [f.name for f in instance._meta.concrete_fields if f.name != "id"]
    out = {}
    for name in names:
        field = instance._meta.get_field(name)
        out[name] = _plain(getattr(instance, field.attname))
    return out


# Keys whose recorded values are personal numbers: an audit row keeps them masked as a list shows them
# (an ID number's region, a phone's first three and last four), never in clear — the audit trail is
# append-only and read by the 经审, so what it stores must be what any of its readers may see.
PERSONAL_KEYS = ("id_number", "phone")


def _mask(key: str, value):
    from jiaogong.members.rules import mask_id_number, mask_phone

    if not isinstance(value, str) or not value or "*" in value:
        return value
    return mask_id_number(value) if key == "id_number" else mask_phone(value)


def masked_changes(changes: dict | None) -> dict:
    """The changes with the values of PERSONAL_KEYS masked (a pair [before, after] or a value)."""
    out = {}
    for key, value in (changes or {}).items():
        if key in PERSONAL_KEYS:
            value = [_mask(key, v) for v in value] if isinstance(value, list | tuple) else _mask(key, value)
        out[key] = value
    return out


# object_type → function(viewer, org, object_ids) → {object_id: keys of its recorded changes the viewer
# may not read}. An app registers one in its AppConfig.ready() for records whose details follow another
# record's permission (a ledger entry paying a hardship file's help: funds/privacy.py).
REDACTIONS: dict = {}


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def row(
    *,
    actor,
    org,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_repr: str | None = None,
) -> dict:
    """The audit row's field values (by attname) for one event: what record() writes, for the
    one hot path that writes it inside a single SQL statement."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return {
        "org_id": org if isinstance(org, int) or org is None else org.pk,
        "actor_id": actor.pk if actor is not None else None,
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": (object_repr if object_repr is not None else str(obj) if obj is not None else "")[
            :200
        ],
        "changes": masked_changes(changes),
    }


def record(
    *,
    actor,
    org,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Write one audit row. `action` is a dotted code such as "members.member.create".
    `org` is an Org or its id (a hot path may not have loaded the org)."""
    return AuditEvent.objects.create(
        **row(actor=actor, org=org, action=action, obj=obj, changes=changes, object_repr=object_repr)
    )


def history_for(obj: models.Model):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
