"""Every rule parameter has a range and a direction: a school or a province may tighten the rules
above it, never loosen them (core/rule_bounds.py), on the rule page, and a data check lists the
stored values that do not fit."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.core import rule_bounds, rules
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import AuditEvent, RuleValue
from jiaogong.core.rule_bounds import BOUNDS, DOWN, EITHER, ORG, PROVINCE, UP, refusal

NUMERIC = sorted(k for k, r in rules.RULES.items() if r.kind in ("int", "decimal", "fraction"))


def test_every_catalogued_rule_has_a_bound_and_a_direction():
    assert set(BOUNDS) == set(rules.RULES)
    assert {b.direction for b in BOUNDS.values()} <= {UP, DOWN, EITHER, rule_bounds.SUBSET}
    for key in NUMERIC:
        assert BOUNDS[key].low is not None and BOUNDS[key].high is not None, key


def test_the_shipped_national_and_province_values_are_within_their_bounds():
    for rule in rules.CATALOGUE:
        national = rules.typed(rule, rule.default)
        assert refusal(rule, ORG, national, national=national) is None, rule.key
        assert refusal(rule, PROVINCE, national, national=national) is None, rule.key
    for (_province, key), (value, _source) in rules.PROVINCE_VALUES.items():
        rule = rules.RULES[key]
        typed = rules.typed(rule, value)
        assert refusal(rule, PROVINCE, typed, national=rules.typed(rule, rule.default)) is None, key


# ---- the pure rule, exhaustively ------------------------------------------------------------------


def _value(kind: str):
    if kind == "int":
        return st.integers(-3, 120000)
    if kind == "decimal":
        return st.decimals(min_value=-1, max_value=120000, places=3, allow_nan=False, allow_infinity=False)
    return st.fractions(min_value=-1, max_value=2, max_denominator=12)


@st.composite
def cases(draw):
    key = draw(st.sampled_from(NUMERIC))
    rule = rules.RULES[key]
    level = draw(st.sampled_from([ORG, PROVINCE]))
    national = rules.typed(rule, rule.default)
    province = draw(st.none() | _value(rule.kind)) if level == ORG else None
    return rule, level, draw(_value(rule.kind)), national, province


@settings(max_examples=1500, deadline=None)
@given(cases())
def test_a_value_is_refused_exactly_when_out_of_range_or_looser_than_the_rule_above(case):
    rule, level, value, national, province = case
    bound = BOUNDS[rule.key]
    problem = refusal(rule, level, value, national=national, province=province, province_name="江苏")
    out_of_range = value < bound.low or value > bound.high or (bound.positive and value == bound.low)
    if level == ORG:
        above = province if province is not None else national
    else:
        above = national if bound.law else None
    looser = above is not None and (
        (bound.direction == UP and value < above) or (bound.direction == DOWN and value > above)
    )
    assert (problem is not None) == (out_of_range or looser), (rule.key, level, value, above, problem)
    if problem:
        assert f"“{rule.label}”" in problem  # names the rule
        if looser and not out_of_range:
            assert ("学校" if level == ORG else "省级规定") in problem and "规定）" in problem


def test_the_quorum_cannot_be_lowered_below_two_thirds():
    quorum = rules.RULES["congress.quorum"]
    assert refusal(quorum, ORG, Fraction(1, 2), national=Fraction(2, 3)) == (
        "学校不能把“法定人数（出席/代表总数）”调低于三分之二（全国规定）。"
    )
    assert refusal(quorum, ORG, Fraction(3, 4), national=Fraction(2, 3)) is None
    assert refusal(quorum, PROVINCE, Fraction(3, 5), national=Fraction(2, 3)) is not None


def test_a_school_cap_answers_to_its_province_and_a_province_to_no_national_cap():
    festival = rules.RULES["caps.festival_total"]
    assert "调高于1800（江苏省级规定）" in refusal(
        festival, ORG, Decimal(2000), national=Decimal(1500), province=Decimal(1800), province_name="江苏"
    )
    assert refusal(festival, ORG, Decimal(1600), national=Decimal(1500), province=Decimal(1800)) is None
    assert "全国规定" in refusal(festival, ORG, Decimal(1600), national=Decimal(1500))
    # The national caps are a reference (安徽 2018), not law: 四川 sets 2,100.
    assert refusal(festival, PROVINCE, Decimal(2100), national=Decimal(1500), province_name="四川") is None
    # …but no level sets a cap without bound.
    assert "不能超过" in refusal(festival, PROVINCE, Decimal(10**6), national=Decimal(1500))


def test_festival_gifts_stay_goods_only_and_per_festival_caps_stay_under_the_province():
    forms = rules.RULES["caps.allowed_forms"]
    national = rules.typed(forms, forms.default)
    looser = national | {"festival": ["goods", "cash"]}
    assert "cash" in refusal(forms, ORG, looser, national=national)
    assert refusal(forms, ORG, national | {"hospital": ["goods"]}, national=national) is None
    assert "cake_voucher" in refusal(
        forms, ORG, national | {"marriage": ["goods", "cake_voucher"]}, national=national
    )
    # goods where the rule above says a souvenir loosens nothing (funds/tests/test_benefits.py)
    assert refusal(forms, ORG, national | {"retirement": ["souvenir", "goods"]}, national=national) is None
    each = rules.RULES["caps.festival_each"]
    jiangsu = {"春节": 800, "端午": 500, "中秋": 500}
    assert "春节" in refusal(each, ORG, {"春节": 900}, national={}, province=jiangsu, province_name="江苏")
    assert refusal(each, ORG, {"春节": 600, "国庆": 300}, national={}, province=jiangsu) is None


def test_the_majority_base_is_the_schools_own_written_rule_only():
    """RULES.md: a school may count those present by its own written rule (the result then says it
    does not conform); a province may not switch its schools."""
    base = rules.RULES["congress.majority_base"]
    assert refusal(base, ORG, "present", national="total") is None
    assert "不能放宽" in refusal(base, PROVINCE, "present", national="total")


def test_term_years_may_drop_an_option_but_not_add_one():
    term = rules.RULES["congress.term_years"]
    assert refusal(term, ORG, [5], national=[3, 5]) is None
    assert "4" in refusal(term, ORG, [3, 4, 5], national=[3, 5])


# ---- where overrides are edited ----------------------------------------------------------------------


def test_a_loosening_override_is_refused_and_writes_nothing(school_a, chair_a):
    with pytest.raises(InvalidInput) as e:
        rules.set_org_value(actor=chair_a, org=school_a, key="congress.quorum", text="1/2", source="校规")
    assert e.value.fields["value"] == "学校不能把“法定人数（出席/代表总数）”调低于三分之二（全国规定）。"
    assert not RuleValue.objects.filter(scope="org").exists() and not AuditEvent.objects.exists()
    rules.set_org_value(actor=chair_a, org=school_a, key="congress.quorum", text="3/4", source="校规")
    assert rules.value_for(school_a, "congress.quorum") == Fraction(3, 4)


def test_a_school_in_a_province_answers_to_the_provinces_cap(school_a, chair_a):
    school_a.province = "江苏"
    school_a.save(update_fields=["province"])
    with pytest.raises(InvalidInput) as e:
        rules.set_org_value(actor=chair_a, org=school_a, key="caps.birthday", text="450", source="校规")
    assert "400" in e.value.fields["value"] and "江苏" in e.value.fields["value"]
    rules.set_org_value(actor=chair_a, org=school_a, key="caps.birthday", text="400", source="校规")


def test_the_rule_page_shows_why_an_override_is_refused(login, school_a, chair_a):
    response = login(chair_a).post(
        reverse("core:rules", args=[school_a.pk]),
        {"key": "congress.quorum", "value": "1/2", "source": "校教代会决议"},
    )
    assert "学校不能把“法定人数（出席/代表总数）”调低于三分之二（全国规定）" in response.content.decode()
    assert not RuleValue.objects.filter(scope="org").exists()


def test_the_data_check_lists_stored_values_that_no_longer_fit_and_changes_none(school_a, capsys):
    RuleValue.objects.create(key="congress.quorum", scope="org", org=school_a, value="1/2", source="旧校规")
    RuleValue.objects.create(key="caps.birthday", scope="org", org=school_a, value="200", source="校规")
    call_command("check_rule_values")
    out = capsys.readouterr().out
    assert "congress.quorum" in out and "调低于三分之二" in out
    assert "caps.birthday" not in out
    assert "共 1 项" in out
    with pytest.raises(Exception, match="1 项规则参数需要修正"):
        call_command("check_rule_values", "--fail")
    assert RuleValue.objects.get(key="congress.quorum", scope="org").value == "1/2"


def test_the_edit_page_says_what_the_school_may_set(login, school_a, chair_a):
    page = login(chair_a).get(reverse("core:rules", args=[school_a.pk]) + "?key=congress.quorum")
    assert "只能调高，不低于三分之二（全国规定）" in page.content.decode()
    for rule in rules.CATALOGUE:  # every rule has words for it, and none fails
        national = rules.typed(rule, rule.default)
        assert isinstance(rule_bounds.describe(rule, national=national), str)


def test_every_number_inside_a_list_or_table_is_in_range():
    term = rules.RULES["congress.term_years"]
    assert refusal(term, ORG, [3, 0], national=[3, 5]) == "“教代会每届年限（可选）”每一项应不小于 1。"
    cuts = rules.RULES["ethics.cut_scores"]
    national = rules.typed(cuts, cuts.default)
    assert "每一项不能超过 100" in refusal(cuts, ORG, {"优秀": 190, "合格": 70}, national=national)
