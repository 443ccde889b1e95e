from decimal import Decimal
from fractions import Fraction

import pytest

from jiaogong.core import rules
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import AuditEvent, RuleValue


def test_catalogue_is_stored_as_data_after_migrate(db):
    assert RuleValue.objects.filter(scope="national").count() == len(rules.CATALOGUE)
    assert RuleValue.objects.filter(scope="province").count() == len(rules.PROVINCE_VALUES)


def test_national_default_applies_without_override(school_a):
    assert rules.value_for(school_a, "congress.quorum") == Fraction(2, 3)
    assert rules.value_for(school_a, "dues.rate") == Decimal("0.005")


def test_province_value_overrides_national(school_a):
    school_a.province = "江苏"
    assert rules.value_for(school_a, "caps.festival_total") == Decimal("1800")
    school_a.province = "广西"
    assert rules.value_for(school_a, "caps.festival_total") == Decimal("1500")


def test_school_override_wins_and_is_audited(school_a, school_b, chair_a):
    school_a.province = "北京"
    assert rules.value_for(school_a, "union.women_committee_min_women") == 25
    rules.set_org_value(
        actor=chair_a,
        org=school_a,
        key="union.women_committee_min_women",
        text="15",
        source="2026年工会委员会会议决定",
    )
    assert rules.value_for(school_a, "union.women_committee_min_women") == 15
    assert rules.value_for(school_b, "union.women_committee_min_women") == 10
    event = AuditEvent.objects.get(action="core.rule.override")
    assert event.actor == chair_a and event.changes["value"] == [None, 15]


def test_bad_override_is_refused_and_writes_nothing(school_a, chair_a):
    with pytest.raises(InvalidInput) as e:
        rules.set_org_value(actor=chair_a, org=school_a, key="congress.quorum", text="3/2", source="")
    assert set(e.value.fields) == {"value", "source"}
    assert not RuleValue.objects.filter(scope="org").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("congress.quorum", "2／3", "2/3"),
        ("dues.rate", "0.006", "0.006"),
        ("members.youth_max_age", "40", 40),
        ("dues.retirees_exempt", "否", False),
        ("congress.majority_base", "出席人数（不符合全国规定）", "present"),
        ("dues.base_components", "岗位工资，薪级工资、教龄津贴", ["岗位工资", "薪级工资", "教龄津贴"]),
        ("union.committee_term_years", "3,5", [3, 5]),
    ],
)
def test_parse_value_accepts_what_people_type(key, text, expected):
    assert rules.parse_value(rules.RULES[key], text) == expected


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("members.youth_max_age", "三十五"),
        ("dues.rate", "abc"),
        ("congress.quorum", "0"),
        ("dues.retirees_exempt", "也许"),
        ("union.committee_size_table", "{}"),
        ("members.youth_max_age", "-1"),
    ],
)
def test_parse_value_refuses_nonsense_with_a_chinese_message(key, text):
    with pytest.raises(ValueError) as e:
        rules.parse_value(rules.RULES[key], text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(e.value))
