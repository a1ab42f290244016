from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "casspath.knowledge"
    verbose_name = "Knowledge"

    def ready(self) -> None:
        # A work guide's resource page sends the learner to the guide's steps.
        from casspath.cass.kind_pages import register
        from casspath.cass.models import ResourceKind
        from casspath.knowledge.queries import guide_page_of_resource

        register(ResourceKind.WORK_GUIDE, guide_page_of_resource)
        # Cases, products and work guides are found by the site's search (search/registry.py).
        from casspath.knowledge.search_kinds import register_kinds

        register_kinds()
