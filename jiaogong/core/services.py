"""Writes on orgs. Like every services module: validate, write, audit, in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from jiaogong.core import audit
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import Org
from jiaogong.core.permissions import roles_in
from jiaogong.core.provinces import PROVINCES


@transaction.atomic
def create_org(*, actor, name: str, kind: str, parent: Org | None, province: str | None) -> Org:
    """A superuser creates any org; a federation's chair creates schools under that federation."""
    may = (
        kind == Org.Kind.SCHOOL
        and parent is not None
        and parent.is_federation
        and "chair" in roles_in(actor, parent)
    )
    if not (actor.is_superuser or may):
        raise PermissionDenied("只有上级工会主席可以在本会下建立学校工会。")
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写名称。"
    elif len(name) > 100:
        errors["name"] = "名称过长（最多 100 字）。"
    elif Org.objects.filter(parent=parent, name=name).exists():
        errors["name"] = "同一上级工会下已有同名的组织。"
    if kind == Org.Kind.SCHOOL and parent is None:
        errors["parent"] = "学校工会须指定上级工会。"
    elif parent is not None and not parent.is_federation:
        errors["parent"] = "上级工会必须是教育工会（联合会）。"
    province = (province or "").strip() or (parent.province if parent is not None else "")
    if province and province not in PROVINCES:
        errors["province"] = "省份应为省级行政区简称，如“广西”“浙江”。"
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            org = Org.objects.create(name=name, kind=kind, parent=parent, province=province)
    except IntegrityError:  # created by someone else since the check above
        raise InvalidInput({"name": "同一上级工会下已有同名的组织。"}) from None
    audit.record(
        actor=actor,
        org=org,
        action="core.org.create",
        obj=org,
        changes=audit.diff({}, audit.snapshot(org, ["name", "kind", "parent", "province"])),
    )
    return org
