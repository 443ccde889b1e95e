"""Domain errors: raised by services, turned into a Chinese message by views and the API."""


class DomainError(Exception):
    """A rule refuses the request (HTTP 422). `code` names the rule."""

    status = 422

    def __init__(self, code: str, message: str, *, fields: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}


class InvalidInput(DomainError):
    """The input is malformed or a field value is invalid (HTTP 400)."""

    status = 400

    def __init__(self, fields: dict, message: str = "提交的内容有误，请检查后重试。"):
        super().__init__("invalid", message, fields=fields)


class Conflict(DomainError):
    """The request conflicts with the current state (HTTP 409)."""

    status = 409


class NeedsConfirmation(Conflict):
    """A warning (八不准, a budget line…) the person acting must read and confirm (HTTP 409
    `needs_confirmation`, API.md): nothing is written until the same request comes back
    confirmed. Only a human confirms: a service acting for another module passes on the
    confirmation it was given, never one of its own."""

    def __init__(self, warnings: list[str], message: str = ""):
        super().__init__(
            "needs_confirmation",
            message or "这笔支出可能违反经费使用规定，请核实；确需支出的，请确认后再提交。",
            fields={"warnings": "；".join(warnings)},
            extra={"warnings": list(warnings)},
        )
        self.warnings = list(warnings)
