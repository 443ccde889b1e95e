"""API v1: competitions."""

from ninja import Router

router = Router(tags=["competitions"])
