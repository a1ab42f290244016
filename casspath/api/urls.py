from ninja import NinjaAPI

from casspath.competency.api import router as competency_router
from casspath.imports.api import router as imports_router
from casspath.org.api import router as org_router

api = NinjaAPI(title="casspath API", version="1", urls_namespace="api")
api.add_router("/org/", org_router)
api.add_router("/competency/", competency_router)
api.add_router("/imports/", imports_router)
