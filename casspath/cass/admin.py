from django.contrib import admin

from casspath.cass.models import CassMap, KeyAction, Resource, WorkItem


@admin.register(CassMap)
class CassMapAdmin(admin.ModelAdmin):
    list_display = ("name", "org_unit", "model_family", "updated_at")


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "cass_map", "importance", "frequency")
    list_filter = ("cass_map",)


@admin.register(KeyAction)
class KeyActionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "work_item", "order")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "status", "duration_minutes", "cass_map")
    list_filter = ("kind", "status")
