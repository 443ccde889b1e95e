"""`make run` loads the whole demo district through every module's demo loader: it must load, once."""

import io

from django.core.management import call_command

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.core.models import Org


def test_the_demo_district_loads_every_module_once(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "演示数据已载入" in out.getvalue()
    schools = Org.objects.filter(kind="school")
    assert schools.count() == 2
    for slug, role in [
        ("chair", "chair"),
        ("shenghuo", "welfare"),
        ("zuzhang", "group_leader"),
        ("caiwu", "finance"),
        ("jingshen", "auditor"),
    ]:
        for school in ("longsheng", "lengshuixi"):
            user = User.objects.get(username=f"{school}_{slug}")
            assert RoleGrant.objects.filter(user=user, role=role).exists()
            assert f"{school}_{slug}" in (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "未重复载入" in again.getvalue()
    assert Org.objects.filter(kind="school").count() == 2
