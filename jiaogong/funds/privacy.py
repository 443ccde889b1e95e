"""Who may read who was paid, and why: the payee and memo of a ledger entry, in one place.

A 困难职工帮扶 payment names the member and the hardship file ("困难职工档案第 3 号"); a 慰问 names
the member and the illness or bereavement. The amount, date and 科目 of every entry stay visible
to every reader of the ledger (the books must add up for the 经审 and the federation); who was paid
and the memo are shown only to those who may open the record behind the entry:

| entry behind                                   | payee and memo shown to  |
|------------------------------------------------|--------------------------|
| a hardship file's help (hardship.HelpRecord)   | ``hardship.view``        |
| a 慰问 to a member (funds.Benefit)              | ``funds.benefits.view``  |
| anything else                                  | every ledger reader      |

A reversal follows the entry it reverses. The same rule serves the ledger page, the API, the
工作总结 drill-downs and the audit page.
"""

from jiaogong.core.permissions import can

HIDDEN_PAYEE = "（已隐去）"


def guard_for(*, from_hardship_help: bool, from_member_benefit: bool) -> str | None:
    """The capability that opens an entry's payee and memo (None: any ledger reader)."""
    if from_hardship_help:
        return "hardship.view"
    if from_member_benefit:
        return "funds.benefits.view"
    return None


def guards(entries) -> dict[int, str | None]:
    """entry id → guard_for(...) for each entry (two queries, whatever the number of entries)."""
    from jiaogong.funds.models import LedgerEntry

    entries = list(entries)
    own = {e.pk: (e.reverses_id or e.pk) for e in entries}
    ids = set(own.values())
    helped = set(
        LedgerEntry.objects.filter(pk__in=ids, hardship_help__isnull=False).values_list("pk", flat=True)
    )
    benefited = set(
        LedgerEntry.objects.filter(pk__in=ids, benefits__member__isnull=False).values_list("pk", flat=True)
    )
    return {
        pk: guard_for(from_hardship_help=source in helped, from_member_benefit=source in benefited)
        for pk, source in own.items()
    }


def may_read(viewer, org, guard: str | None) -> bool:
    return guard is None or can(viewer, org, guard)


def hidden_memo(entry) -> str:
    """What stands for the memo of an entry the viewer may not read: its 科目 only."""
    what = f"{entry.category}·{entry.subcategory}" if entry.subcategory else entry.category
    return f"{what}（{'冲销' if entry.reverses_id else '详情仅经办人可见'}）"


def shown(viewer, org, entry, guard: str | None) -> dict:
    """{"payee", "memo"} of the entry as the viewer may read them."""
    if may_read(viewer, org, guard):
        return {"payee": entry.payee, "memo": entry.memo}
    return {"payee": HIDDEN_PAYEE if entry.payee else "", "memo": hidden_memo(entry)}


def redact_audit(viewer, org, object_ids: list[str]) -> dict[str, set[str]]:
    """For the audit page (core.audit.REDACTIONS): ledger entry id → the recorded keys the viewer
    may not read."""
    from jiaogong.funds.models import LedgerEntry

    ids = [int(i) for i in object_ids if str(i).isdigit()]
    entries = LedgerEntry.objects.filter(org=org, pk__in=ids).only("id", "reverses_id")
    return {
        str(pk): {"payee", "memo", "reason", "text"}
        for pk, guard in guards(entries).items()
        if not may_read(viewer, org, guard)
    }
