"""互助保障 rules (RULES.md §4, 职工互助保障): who may claim, and what may be paid.

Pure functions on plain values.
"""

import datetime
from decimal import Decimal


def claim_refusal(
    *, enrolled: bool, covers_from: datetime.date, covers_to: datetime.date, event_on: datetime.date
) -> str:
    """A claim is accepted only for a member enrolled in the plan, for an event (admission,
    accident, diagnosis) inside the coverage period, both ends included. Returns "" when the claim
    may be submitted, else the Chinese reason."""
    if not enrolled:
        return "该会员未参加本期互助保障，不能申请理赔。"
    if event_on < covers_from:
        return f"事故/住院日期早于保障期开始日 {covers_from:%Y-%m-%d}，不在保障期内。"
    if event_on > covers_to:
        return f"事故/住院日期晚于保障期结束日 {covers_to:%Y-%m-%d}，不在保障期内。"
    return ""


def payment_refusal(*, amount_claimed: Decimal, amount_paid: Decimal) -> str:
    """What is paid is above zero and never more than what was claimed."""
    if amount_paid <= 0:
        return "赔付金额应大于零；不予赔付的，请选择“不予赔付”并写明原因。"
    if amount_paid > amount_claimed:
        return f"赔付金额不能超过申请金额 {amount_claimed} 元。"
    return ""
