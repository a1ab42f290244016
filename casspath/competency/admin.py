"""Read-only admin: models change through the app's pages and actions (versioned and
audited). The stages and grades they require are org's value lists (org/admin.py)."""

from django.contrib import admin

from casspath.competency.models import (
    BehaviourLevel,
    CompetencyModel,
    Dimension,
    LevelTitle,
    Module,
    Requirement,
)
from casspath.core.admin import ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LevelTitleInline(ReadOnlyInline):
    model = LevelTitle
    fields = ["level", "title", "title_en", "description"]


class ModuleInline(ReadOnlyInline):
    model = Module
    fields = ["order", "code", "name", "name_en"]


@admin.register(CompetencyModel)
class CompetencyModelAdmin(ReadOnlyAdmin):
    list_display = ["family", "version", "name", "status", "org_unit", "published_at"]
    list_filter = ["status", "family"]
    list_select_related = ["org_unit"]
    search_fields = ["family", "name", "name_en"]
    inlines = [LevelTitleInline, ModuleInline]


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category", "module", "model"]
    list_filter = ["category", "model"]
    list_select_related = ["module", "model"]
    search_fields = ["code", "name", "name_en"]


@admin.register(BehaviourLevel)
class BehaviourLevelAdmin(ReadOnlyAdmin):
    list_display = ["dimension", "level"]
    list_select_related = ["dimension"]
    list_filter = ["dimension__model"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["dimension", "stage", "grade", "level", "weight", "model"]
    list_select_related = ["dimension", "stage", "grade", "model"]
    list_filter = ["model", "stage", "grade"]
