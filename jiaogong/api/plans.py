"""API v1: plans."""

from ninja import Router

router = Router(tags=["plans"])
