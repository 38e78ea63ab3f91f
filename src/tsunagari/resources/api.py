"""Read-only directory API in the shape of the HSDS 3.0 API reference."""

from ninja import Router

router = Router(tags=["hsds"])
