"""API v1: study."""

from ninja import Router

router = Router(tags=["study"])
