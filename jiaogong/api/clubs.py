"""API v1: clubs."""

from ninja import Router

router = Router(tags=["clubs"])
