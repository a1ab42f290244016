from django.contrib import admin

from casspath.knowledge.models import GuideImage, GuidePdf, GuideStep, ProcessStep, WorkGuide


class GuideStepInline(admin.TabularInline):
    model = GuideStep
    extra = 0
    fields = ("order", "title")
    show_change_link = True


@admin.register(WorkGuide)
class WorkGuideAdmin(admin.ModelAdmin):
    list_display = ("title", "work_item", "resource", "updated_at")
    search_fields = ("title", "work_item__code")
    raw_id_fields = ("resource", "work_item")
    inlines = [GuideStepInline]


class GuideImageInline(admin.TabularInline):
    model = GuideImage
    extra = 0
    fields = ("order", "file", "caption", "content_type", "width", "height")
    readonly_fields = ("content_type", "width", "height")


@admin.register(GuideStep)
class GuideStepAdmin(admin.ModelAdmin):
    list_display = ("guide", "order", "title")
    inlines = [GuideImageInline]


@admin.register(GuidePdf)
class GuidePdfAdmin(admin.ModelAdmin):
    list_display = ("guide", "page_size", "status", "created_at")
    readonly_fields = ("status", "phase", "progress_done", "progress_total", "file")


@admin.register(ProcessStep)
class ProcessStepAdmin(admin.ModelAdmin):
    list_display = ("cass_map", "code", "name", "parent", "order")
    list_filter = ("cass_map",)
    search_fields = ("code", "name")
    raw_id_fields = ("cass_map", "parent")
    filter_horizontal = ("work_items",)
