"""The welfare caps engine: forms, per-year festival caps, per-event caps, overrides, bad input."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given as hgiven
from hypothesis import settings
from hypothesis import strategies as st

from jiaogong.funds.caps import (
    DEFAULT_ALLOWED_FORMS,
    FESTIVAL_BAN_TEXT,
    FORMS,
    KINDS,
    PER_EVENT_KINDS,
    Caps,
    Decision,
    Payment,
    check,
)

D = Decimal
DAY = datetime.date(2026, 6, 1)
CAPS = Caps()
JIANGSU = Caps.from_values({"caps.festival_total": "1800", "caps.festival_each": {"春节": 800, "端午": 500}})

DEFAULT_CAPS = {
    "birthday": "300",
    "marriage": "600",
    "birth": "600",
    "hospital": "1000",
    "hospital_surgery": "1000",
    "death_member": "2000",
    "death_relative": "1000",
    "retirement": "1000",
}
# A form each kind accepts by default.
GOOD_FORM = {kind: "goods" for kind in KINDS} | {"birthday": "cake_voucher", "retirement": "souvenir"}


def pay(kind, amount, *, festival="", form=None, date=DAY):
    if festival == "" and kind == "festival":
        festival = "中秋"
    return Payment(kind, festival, D(amount), date, form or GOOD_FORM[kind])


def fest(name, amount, date=DAY, form="goods"):
    return Payment("festival", name, D(amount), date, form)


# ---- defaults ---------------------------------------------------------------------------------


def test_the_national_defaults():
    assert CAPS.festival_total == D("1500.00")
    assert CAPS.festival_each == {}
    for kind, cap in DEFAULT_CAPS.items():
        assert CAPS.cap_for(kind) == D(cap), kind


def test_the_default_forms_table():
    # RULES.md §3: festivals goods only; birthday cake or voucher; marriage/birth goods;
    # illness and death cash allowed; retirement a souvenir.
    assert DEFAULT_ALLOWED_FORMS["festival"] == {"goods"}
    assert DEFAULT_ALLOWED_FORMS["birthday"] == {"goods", "cake_voucher"}
    assert DEFAULT_ALLOWED_FORMS["marriage"] == DEFAULT_ALLOWED_FORMS["birth"] == {"goods"}
    for kind in ("hospital", "hospital_surgery", "death_member", "death_relative"):
        assert DEFAULT_ALLOWED_FORMS[kind] == {"cash", "goods"}, kind
    assert DEFAULT_ALLOWED_FORMS["retirement"] == {"souvenir"}
    assert set(PER_EVENT_KINDS) == KINDS - {"festival", "birthday"}
    assert set(DEFAULT_ALLOWED_FORMS) == KINDS
    assert CAPS.allowed_forms == DEFAULT_ALLOWED_FORMS


# ---- exactly at the cap / one fen above, every kind --------------------------------------------


@pytest.mark.parametrize(("kind", "cap"), [("festival", "1500"), *DEFAULT_CAPS.items()])
def test_exactly_at_the_cap_is_allowed(kind, cap):
    decision = check(pay(kind, cap), caps=CAPS)
    assert decision == Decision(allowed=True, rule="", remaining=D(cap), overridden=False)


@pytest.mark.parametrize(("kind", "cap"), [("festival", "1500"), *DEFAULT_CAPS.items()])
def test_one_fen_above_the_cap_is_refused(kind, cap):
    decision = check(pay(kind, D(cap) + D("0.01")), caps=CAPS)
    assert decision.allowed is False
    assert decision.overridden is False
    assert decision.remaining == D(cap)
    assert f"{D(cap):.2f} 元" in decision.rule
    assert f"还可发 {D(cap):.2f} 元" in decision.rule


@pytest.mark.parametrize("kind", [k for k in PER_EVENT_KINDS if k in DEFAULT_CAPS])
def test_per_event_caps_ignore_earlier_payments(kind):
    cap = D(DEFAULT_CAPS[kind])
    earlier = [pay(kind, cap, date=DAY - datetime.timedelta(days=30)), pay(kind, cap)]
    assert check(pay(kind, cap), caps=CAPS, given=earlier).allowed
    assert not check(pay(kind, cap + D("0.01")), caps=CAPS, given=earlier).allowed


def test_refusal_texts_name_the_rule():
    assert (
        check(pay("marriage", "600.01"), caps=CAPS).rule
        == "结婚慰问每次不超过 600.00 元，本次还可发 600.00 元。"
    )
    assert (
        check(pay("death_member", "2500"), caps=CAPS).rule
        == "会员去世慰问每次不超过 2000.00 元，本次还可发 2000.00 元。"
    )
    assert check(pay("birthday", "301"), caps=CAPS).rule == (
        "生日慰问每人每年一次，每次不超过 300.00 元，还可发 300.00 元。"
    )


def test_provincial_caps_are_used():
    fujian = Caps.from_values({"caps.retirement": "500", "caps.hospital": 500})
    assert check(pay("retirement", "500"), caps=fujian).allowed
    refused = check(pay("retirement", "500.01"), caps=fujian)
    assert (refused.allowed, refused.remaining) == (False, D("500.00"))
    assert not check(pay("hospital", "600"), caps=fujian).allowed
    assert check(pay("hospital_surgery", "1000"), caps=fujian).allowed  # untouched key keeps default


# ---- festivals: cumulative per year ------------------------------------------------------------


def test_festivals_add_up_over_the_year():
    so_far = [
        fest("春节", "800", datetime.date(2026, 2, 10)),
        fest("端午", "500", datetime.date(2026, 6, 19)),
    ]
    mid_autumn = datetime.date(2026, 9, 25)
    ok = check(fest("中秋", "200", mid_autumn), caps=CAPS, given=so_far)
    assert ok == Decision(allowed=True, rule="", remaining=D("200.00"))
    refused = check(fest("中秋", "201", mid_autumn), caps=CAPS, given=so_far)
    assert refused.allowed is False
    assert refused.remaining == D("200.00")
    assert refused.rule == "节日慰问全年合计不超过 1500.00 元，本年已发 1300.00 元，还可发 200.00 元。"
    assert not check(fest("中秋", "200.01", mid_autumn), caps=CAPS, given=so_far).allowed


def test_the_example_message():
    decision = check(fest("国庆", "301"), caps=CAPS, given=[fest("春节", "1200", datetime.date(2026, 1, 28))])
    assert decision.rule == "节日慰问全年合计不超过 1500.00 元，本年已发 1200.00 元，还可发 300.00 元。"
    assert decision.remaining == D("300.00")


def test_last_years_festivals_do_not_count():
    last_year = [
        fest("春节", "1500", datetime.date(2025, 1, 29)),
        fest("元旦", "1500", datetime.date(2025, 12, 31)),
    ]
    decision = check(fest("元旦", "1500", datetime.date(2026, 1, 1)), caps=CAPS, given=last_year)
    assert decision == Decision(allowed=True, rule="", remaining=D("1500.00"))


def test_next_years_festivals_do_not_count_either():
    next_year = [fest("元旦", "1500", datetime.date(2027, 1, 1))]
    assert check(fest("国庆", "1500", datetime.date(2026, 10, 1)), caps=CAPS, given=next_year).allowed


def test_the_whole_year_counts_whatever_the_order():
    # A later payment already on record in the same year still counts.
    later = [fest("国庆", "1000", datetime.date(2026, 10, 1))]
    decision = check(fest("端午", "600", datetime.date(2026, 6, 1)), caps=CAPS, given=later)
    assert (decision.allowed, decision.remaining) == (False, D("500.00"))


def test_other_kinds_do_not_count_towards_festivals():
    others = [pay(kind, DEFAULT_CAPS[kind]) for kind in DEFAULT_CAPS]
    assert check(fest("中秋", "1500"), caps=CAPS, given=others).allowed


def test_festivals_do_not_count_towards_other_kinds():
    festivals = [fest("春节", "1500", datetime.date(2026, 2, 1))]
    assert check(pay("birthday", "300"), caps=CAPS, given=festivals).allowed
    assert check(pay("marriage", "600"), caps=CAPS, given=festivals).allowed


def test_nothing_left_refuses_even_a_fen():
    spent = [fest("春节", "1500", datetime.date(2026, 2, 1))]
    decision = check(fest("中秋", "0.01"), caps=CAPS, given=spent)
    assert (decision.allowed, decision.remaining) == (False, D("0.00"))
    assert "还可发 0.00 元" in decision.rule


def test_overspent_year_clamps_remaining_at_zero():
    spent = [fest("春节", "1800", datetime.date(2026, 2, 1))]  # e.g. an earlier override
    decision = check(fest("中秋", "1"), caps=CAPS, given=spent)
    assert decision.remaining == D("0.00")
    assert "本年已发 1800.00 元，还可发 0.00 元" in decision.rule


def test_festival_names_are_trimmed():
    spent = [fest(" 春节 ", "800", datetime.date(2026, 2, 1))]
    decision = check(fest("春节", "0.01", datetime.date(2026, 2, 2)), caps=JIANGSU, given=spent)
    assert (decision.allowed, decision.remaining) == (False, D("0.00"))


# ---- festivals: per-festival caps --------------------------------------------------------------


def test_festival_each_caps_one_festival():
    assert check(fest("春节", "800"), caps=JIANGSU).allowed
    refused = check(fest("春节", "800.01"), caps=JIANGSU)
    assert refused.allowed is False
    assert refused.remaining == D("800.00")
    assert refused.rule == "春节慰问每年不超过 800.00 元，本年已发 0.00 元，还可发 800.00 元。"


def test_festival_each_counts_only_the_same_festival_in_the_same_year():
    given = [
        fest("春节", "300", datetime.date(2026, 1, 20)),
        fest("端午", "500", datetime.date(2026, 6, 19)),
        fest("春节", "800", datetime.date(2025, 1, 29)),  # last year: ignored
    ]
    ok = check(fest("春节", "500", datetime.date(2026, 2, 17)), caps=JIANGSU, given=given)
    assert ok == Decision(allowed=True, rule="", remaining=D("500.00"))
    refused = check(fest("春节", "500.01", datetime.date(2026, 2, 17)), caps=JIANGSU, given=given)
    assert refused.remaining == D("500.00")
    assert refused.rule == "春节慰问每年不超过 800.00 元，本年已发 300.00 元，还可发 500.00 元。"


def test_a_festival_without_its_own_cap_only_meets_the_total():
    # 国庆 has no per-festival cap in this table: 1800 − 800 − 500 = 500 left.
    given = [fest("春节", "800", datetime.date(2026, 2, 1)), fest("端午", "500", datetime.date(2026, 6, 1))]
    assert check(fest("国庆", "500", datetime.date(2026, 10, 1)), caps=JIANGSU, given=given).allowed
    refused = check(fest("国庆", "500.01", datetime.date(2026, 10, 1)), caps=JIANGSU, given=given)
    assert refused.remaining == D("500.00")
    assert refused.rule.startswith("节日慰问全年合计不超过 1800.00 元")


def test_the_tighter_of_total_and_each_binds():
    given = [fest("国庆", "1200", datetime.date(2026, 10, 1))]
    # 春节 alone could take 800 but only 600 of the year's 1800 is left.
    decision = check(fest("春节", "601", datetime.date(2026, 2, 1)), caps=JIANGSU, given=given)
    assert (decision.allowed, decision.remaining) == (False, D("600.00"))
    assert decision.rule.startswith("节日慰问全年合计")
    # With more left for the year, the per-festival cap binds.
    decision = check(fest("春节", "801", datetime.date(2026, 2, 1)), caps=JIANGSU)
    assert (decision.allowed, decision.remaining) == (False, D("800.00"))
    assert decision.rule.startswith("春节慰问每年不超过")


def test_no_total_means_only_the_festival_caps():
    caps = Caps(festival_total=None, festival_each={"春节": D("800")})
    assert check(fest("国庆", "99999"), caps=caps) == Decision(allowed=True, rule="", remaining=None)
    assert check(fest("春节", "800"), caps=caps).allowed
    assert not check(fest("春节", "800.01"), caps=caps).allowed


# ---- birthday: once a year ---------------------------------------------------------------------


def test_birthday_once_a_year():
    first = pay("birthday", "100", date=datetime.date(2026, 3, 5))
    decision = check(pay("birthday", "100", date=datetime.date(2026, 11, 5)), caps=CAPS, given=[first])
    assert decision.allowed is False
    assert decision.remaining == D("0.00")
    assert decision.rule == "生日慰问每人每年一次，本年已发 1 次（100.00 元），还可发 0.00 元。"


def test_birthday_next_year_is_fine():
    last_year = [pay("birthday", "300", date=datetime.date(2025, 3, 5))]
    decision = check(pay("birthday", "300", date=datetime.date(2026, 3, 5)), caps=CAPS, given=last_year)
    assert decision == Decision(allowed=True, rule="", remaining=D("300.00"))


def test_other_kinds_do_not_use_up_the_birthday():
    given = [pay("marriage", "600"), fest("春节", "1000", datetime.date(2026, 2, 1))]
    assert check(pay("birthday", "300"), caps=CAPS, given=given).allowed


# ---- forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["cash", "shopping_card", "cake_voucher"])
def test_banned_festival_forms_are_refused(form):
    decision = check(fest("春节", "100", form=form), caps=CAPS)
    assert decision.allowed is False
    assert decision.rule == FESTIVAL_BAN_TEXT == "节日慰问不得发放现金、购物卡或代金券。"
    assert decision.overridden is False


@pytest.mark.parametrize("form", ["cash", "shopping_card", "cake_voucher"])
def test_banned_festival_forms_cannot_be_overridden(form):
    decision = check(fest("春节", "100", form=form), caps=CAPS, override_reason="经工会委员会集体研究同意")
    assert (decision.allowed, decision.overridden, decision.rule) == (False, False, FESTIVAL_BAN_TEXT)


@pytest.mark.parametrize("form", ["cash", "shopping_card", "cake_voucher"])
def test_banned_festival_forms_win_over_a_cap_refusal(form):
    decision = check(fest("春节", "5000", form=form), caps=CAPS, override_reason="特殊情况")
    assert (decision.allowed, decision.rule) == (False, FESTIVAL_BAN_TEXT)


def test_no_forms_table_can_allow_cash_for_festivals():
    for banned in ("cash", "shopping_card", "cake_voucher"):
        with pytest.raises(ValueError, match="节日慰问不得发放"):
            Caps(allowed_forms={"festival": {"goods", banned}})


def test_festival_goods_are_fine_and_souvenirs_are_not_by_default():
    assert check(fest("春节", "100", form="goods"), caps=CAPS).allowed
    refused = check(fest("春节", "100", form="souvenir"), caps=CAPS)
    assert refused.rule == "节日慰问只能发放实物，不得发放纪念品。"


@pytest.mark.parametrize(
    ("kind", "form"),
    [(kind, form) for kind in sorted(KINDS) for form in sorted(FORMS) if form in DEFAULT_ALLOWED_FORMS[kind]],
)
def test_allowed_forms(kind, form):
    assert check(pay(kind, "1", form=form), caps=CAPS).allowed


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        (kind, form)
        for kind in sorted(KINDS)
        for form in sorted(FORMS)
        if form not in DEFAULT_ALLOWED_FORMS[kind]
    ],
)
def test_other_forms_are_refused_and_not_overridable(kind, form):
    decision = check(pay(kind, "1", form=form), caps=CAPS, override_reason="主席同意")
    assert decision.allowed is False
    assert decision.overridden is False
    assert decision.rule


def test_form_refusal_texts():
    assert check(pay("birthday", "100", form="cash"), caps=CAPS).rule == (
        "生日慰问只能发放实物或蛋糕券，不得发放现金。"
    )
    assert check(pay("marriage", "100", form="shopping_card"), caps=CAPS).rule == (
        "结婚慰问只能发放实物，不得发放购物卡/代金券。"
    )
    assert (
        check(pay("marriage", "100", form="cash"), caps=CAPS).rule == "结婚慰问只能发放实物，不得发放现金。"
    )
    assert check(pay("hospital", "100", form="cake_voucher"), caps=CAPS).rule == (
        "生病住院慰问只能发放现金或实物，不得发放蛋糕券。"
    )
    assert (
        check(pay("retirement", "100", form="cash"), caps=CAPS).rule
        == "退休慰问只能发放纪念品，不得发放现金。"
    )


def test_the_forms_table_is_a_parameter():
    caps = Caps.from_values(
        {"caps.allowed_forms": {"retirement": ["souvenir", "goods"], "marriage": ["cash"]}}
    )
    assert check(pay("retirement", "100", form="goods"), caps=caps).allowed
    assert not check(pay("retirement", "100", form="cash"), caps=caps).allowed
    assert check(pay("marriage", "100", form="cash"), caps=caps).allowed
    assert not check(pay("marriage", "100", form="goods"), caps=caps).allowed
    # Kinds the table does not name keep their defaults.
    assert check(pay("hospital", "100", form="cash"), caps=caps).allowed
    assert caps.allowed_forms["retirement"] == {"souvenir", "goods"}


def test_a_refused_form_still_reports_the_allowance():
    decision = check(fest("中秋", "100", form="cash"), caps=CAPS, given=[fest("春节", "1000")])
    assert decision.remaining == D("500.00")


# ---- overrides --------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "cap"), [("festival", "1500"), *DEFAULT_CAPS.items()])
def test_an_override_with_a_reason_allows_an_amount_over_the_cap(kind, cap):
    refused = check(pay(kind, D(cap) + 1), caps=CAPS)
    decision = check(pay(kind, D(cap) + 1), caps=CAPS, override_reason="重病，经工会委员会研究同意")
    assert decision.allowed is True
    assert decision.overridden is True
    assert decision.rule == refused.rule != ""
    assert decision.remaining == refused.remaining == D(cap)


def test_an_override_lets_a_second_birthday_through():
    first = [pay("birthday", "300", date=datetime.date(2026, 1, 2))]
    decision = check(pay("birthday", "300"), caps=CAPS, given=first, override_reason="补发去年漏发")
    assert (decision.allowed, decision.overridden) == (True, True)
    assert decision.rule.startswith("生日慰问每人每年一次")


def test_an_override_on_the_cumulative_festival_cap():
    so_far = [fest("春节", "800", datetime.date(2026, 2, 1)), fest("端午", "500", datetime.date(2026, 6, 1))]
    decision = check(fest("中秋", "201"), caps=CAPS, given=so_far, override_reason="主席批准")
    assert (decision.allowed, decision.overridden, decision.remaining) == (True, True, D("200.00"))
    assert "还可发 200.00 元" in decision.rule


@pytest.mark.parametrize("reason", ["", " ", "\u3000\n\t"])
def test_a_blank_reason_is_not_an_override(reason):
    decision = check(pay("marriage", "600.01"), caps=CAPS, override_reason=reason)
    assert (decision.allowed, decision.overridden) == (False, False)


def test_an_unneeded_override_is_not_recorded():
    decision = check(pay("marriage", "600"), caps=CAPS, override_reason="以防万一")
    assert decision == Decision(allowed=True, rule="", remaining=D("600.00"), overridden=False)


# ---- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payment", "message"),
    [
        (Payment("wedding", "", D("100"), DAY, "cash"), "未知的慰问类别"),
        (Payment("marriage", "", D("100"), DAY, "red_envelope"), "未知的慰问形式"),
        (Payment("marriage", "", D("100"), DAY), "请选择慰问形式"),
        (Payment("marriage", "", D("0"), DAY, "cash"), "大于 0"),
        (Payment("marriage", "", D("0.00"), DAY, "cash"), "大于 0"),
        (Payment("marriage", "", D("-1"), DAY, "cash"), "大于 0"),
        (Payment("marriage", "", D("100.001"), DAY, "cash"), "两位小数"),
        (Payment("marriage", "", D("0.001"), DAY, "cash"), "两位小数"),
        (Payment("marriage", "", D("NaN"), DAY, "cash"), "有限"),
        (Payment("marriage", "", D("Infinity"), DAY, "cash"), "有限"),
        (Payment("marriage", "", 100.5, DAY, "cash"), "Decimal"),
        (Payment("marriage", "", "100", DAY, "cash"), "Decimal"),
        (Payment("marriage", "", D("100"), "2026-06-01", "cash"), "日期"),
        (Payment("festival", "", D("100"), DAY, "goods"), "节日名称"),
        (Payment("festival", "  ", D("100"), DAY, "goods"), "节日名称"),
    ],
)
def test_invalid_input_raises(payment, message):
    with pytest.raises(ValueError, match=message):
        check(payment, caps=CAPS)


def test_invalid_input_raises_even_with_an_override():
    with pytest.raises(ValueError):
        check(Payment("festival", "", D("100"), DAY, "goods"), caps=CAPS, override_reason="主席同意")


def test_trailing_zeros_are_not_extra_decimals():
    assert check(pay("marriage", D("600.000")), caps=CAPS).allowed
    assert check(pay("marriage", 600), caps=CAPS).allowed


def test_unknown_kinds_in_given_raise():
    with pytest.raises(ValueError, match="已发记录"):
        check(pay("marriage", "100"), caps=CAPS, given=[Payment("bonus", "", D("1"), DAY)])


# ---- Caps.from_values -------------------------------------------------------------------------


def test_from_values_with_provincial_values():
    caps = Caps.from_values({"caps.festival_total": "1800", "caps.festival_each": {"春节": 800}})
    assert caps.festival_total == D("1800.00")
    assert caps.festival_each == {"春节": D("800.00")}
    assert caps.birthday == D("300.00")  # missing keys take the defaults
    assert check(
        fest("中秋", "1000"), caps=caps, given=[fest("春节", "800", datetime.date(2026, 2, 1))]
    ).allowed
    assert not check(fest("春节", "800.01"), caps=caps).allowed


def test_from_values_takes_the_rules_table_as_is():
    caps = Caps.from_values(
        {
            "caps.festival_total": D("2100"),
            "caps.birthday": 400,
            "caps.marriage": 500.0,
            "caps.festival_each": '{"春节": 800, "中秋": "500"}',
            "dues.rate": "0.005",  # another rule: ignored
        }
    )
    assert (caps.festival_total, caps.birthday, caps.marriage) == (D("2100"), D("400"), D("500"))
    assert caps.festival_each == {"春节": D("800"), "中秋": D("500")}
    assert caps.death_member == D("2000")


def test_from_values_empty_is_the_defaults():
    assert Caps.from_values({}) == Caps()
    assert Caps.from_values({"caps.festival_each": {}}).festival_each == {}


@pytest.mark.parametrize(
    "values",
    [
        {"caps.festival_total": "-1"},
        {"caps.festival_total": "abc"},
        {"caps.festival_total": "Infinity"},
        {"caps.festival_total": True},
        {"caps.birthday": "300.001"},
        {"caps.festival_each": {"春节": "-5"}},
        {"caps.festival_each": {"": 800}},
        {"caps.festival_each": "not json"},
        {"caps.festival_each": [800]},
        {"caps.allowed_forms": {"festival": ["cash"]}},
        {"caps.allowed_forms": {"bonus": ["goods"]}},
        {"caps.allowed_forms": {"marriage": ["gold"]}},
    ],
)
def test_from_values_rejects_bad_values(values):
    with pytest.raises(ValueError):
        Caps.from_values(values)


def test_a_zero_cap_refuses_everything():
    caps = Caps.from_values({"caps.retirement": "0"})
    decision = check(pay("retirement", "0.01"), caps=caps)
    assert (decision.allowed, decision.remaining) == (False, D("0.00"))


def test_caps_are_frozen():
    with pytest.raises(AttributeError):
        CAPS.birthday = D("1")  # type: ignore[misc]


# ---- property: accepted festival payments never exceed the caps --------------------------------

FESTIVALS = ["元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆"]
amounts = st.integers(min_value=1, max_value=120_000).map(lambda fen: D(fen) / 100)
dates = st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2026, 12, 31))
proposals = st.lists(st.tuples(st.sampled_from(FESTIVALS), amounts, dates), max_size=40)
caps_strategy = st.builds(
    lambda total, each: Caps(festival_total=D(total), festival_each=each),
    st.integers(min_value=0, max_value=3000),
    st.dictionaries(st.sampled_from(FESTIVALS), st.integers(min_value=0, max_value=1000).map(D), max_size=3),
)


@settings(max_examples=300, deadline=None)
@hgiven(proposals, caps_strategy)
def test_accepted_festival_payments_never_exceed_the_caps(proposed, caps):
    accepted: list[Payment] = []
    for name, amount, date in proposed:
        payment = fest(name, amount, date)
        decision = check(payment, caps=caps, given=accepted)
        assert decision.overridden is False
        if decision.allowed:
            assert decision.rule == ""
            assert amount <= decision.remaining
            accepted.append(payment)
        else:
            assert decision.rule
            assert amount > decision.remaining
    for year in {p.date.year for p in accepted}:
        this_year = [p for p in accepted if p.date.year == year]
        assert sum(p.amount for p in this_year) <= caps.festival_total
        for name, cap in caps.festival_each.items():
            assert sum(p.amount for p in this_year if p.festival == name) <= cap


@settings(max_examples=200, deadline=None)
@hgiven(proposals)
def test_filling_up_to_the_remaining_reaches_the_cap_exactly(proposed):
    # Paying exactly what is left is always allowed, and afterwards nothing is left.
    accepted: list[Payment] = []
    for name, _, date in proposed:
        left = check(fest(name, "0.01", date), caps=CAPS, given=accepted).remaining
        if left > 0:
            payment = fest(name, left, date)
            assert check(payment, caps=CAPS, given=accepted).allowed
            accepted.append(payment)
            assert check(fest(name, "0.01", date), caps=CAPS, given=accepted).remaining == 0
    for year in {p.date.year for p in accepted}:
        assert sum(p.amount for p in accepted if p.date.year == year) == CAPS.festival_total
