"""The cass API (mounted at /api/v1/cass/), a module per concept: maps (CASS maps and the
learning map) and resources (the library, a resource with its media and the caller's
progress, Q&A cards). Authentication is set on the API as a whole (casspath/site/api.py)."""

from ninja import Router

from casspath.cass.api import maps, resources

router = Router(tags=["cass"])
router.add_router("", maps.router)
router.add_router("", resources.router)
