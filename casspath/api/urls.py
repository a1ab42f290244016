from ninja import NinjaAPI

api = NinjaAPI(title="casspath API", version="1", urls_namespace="api")
