"""Reads of the CASS app, a module per concept: common (the maps one may read, the map that
applies, work items in rank order), maps (the map's pages and API), cards (Q&A cards), library
(learning resources). Everything is re-exported here: callers import from `casspath.cass.queries`."""

from casspath.cass.queries.cards import (
    CARD_PAGE_SIZE,
    CARD_TITLE_CHARS,
    CardFilters,
    card_tags,
    card_title,
    cards_of_map,
    map_work_item_choices,
    map_work_items_by_code,
    parse_card_filters,
)
from casspath.cass.queries.common import (
    map_applying,
    maps_for,
    ranked_work_items,
)
from casspath.cass.queries.library import (
    RESOURCES_PER_PAGE,
    ResourceFilters,
    dimension_choices,
    library,
    map_work_items_and_actions,
    media_progress_states,
    my_media_progress,
    resource_page,
)
from casspath.cass.queries.maps import (
    ActionView,
    DimensionUse,
    ItemView,
    MapView,
    SkillView,
    competency_model_for,
    dimension_uses,
    editable_maps,
    map_dimensions,
    map_view,
    maps_with_counts,
    model_families_for,
)

__all__ = [
    "ActionView",
    "CARD_PAGE_SIZE",
    "CARD_TITLE_CHARS",
    "CardFilters",
    "DimensionUse",
    "ItemView",
    "MapView",
    "RESOURCES_PER_PAGE",
    "ResourceFilters",
    "SkillView",
    "card_tags",
    "card_title",
    "cards_of_map",
    "competency_model_for",
    "dimension_choices",
    "dimension_uses",
    "editable_maps",
    "library",
    "map_applying",
    "map_dimensions",
    "map_view",
    "map_work_item_choices",
    "map_work_items_and_actions",
    "media_progress_states",
    "map_work_items_by_code",
    "maps_for",
    "maps_with_counts",
    "model_families_for",
    "my_media_progress",
    "parse_card_filters",
    "ranked_work_items",
    "resource_page",
]
