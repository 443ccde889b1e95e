from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "jiaogong.funds"
    verbose_name = "会费与经费"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiaogong.core.audit import REDACTIONS
        from jiaogong.core.backup import register_figure
        from jiaogong.core.rules import VALIDATORS
        from jiaogong.funds import privacy
        from jiaogong.funds.books import balances_by_org
        from jiaogong.funds.caps import Caps

        # A backup keeps each union's ledger balance; a restore must give the same (core/backup.py).
        register_figure("ledger_balances", balances_by_org)
        # Who was paid and why follows the record behind the entry, on the audit page too.
        REDACTIONS["funds.ledgerentry"] = privacy.redact_audit

        # A caps table the chair types on the rules page is checked by the engine that will use it.
        for key in ("caps.festival_each", "caps.allowed_forms"):
            VALIDATORS[key] = lambda value, key=key: Caps.from_values({key: value})
