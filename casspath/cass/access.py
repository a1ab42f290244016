"""The only way a view or endpoint loads a CASS map, its parts and its resources.

Everyone logged in may read the maps that apply to him (owned at or above his role units
or his own unit, as competency models) and those owned inside his VIEW_EMPLOYEES scope.
Editing needs EDIT_MODELS over the owner unit (training admins and consultants). Learners
see published resources only; a draft or retired one is visible to those who may edit its
map. The same 404 for "absent" and "not visible"; 403 for visible but not editable.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from casspath.cass.models import CassMap, KeyAction, Resource, ResourceKind, ResourceStatus, WorkItem
from casspath.org import scopes
from casspath.org.queries import applying_unit_ids


def visible_maps_q(user, prefix: str = "") -> Q:
    """A filter on CassMap (or, with `prefix` "cass_map__", on what hangs off one)."""
    if scopes.is_unrestricted(user):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(**{f"{prefix}org_unit_id__in": applying_unit_ids(user)})
    for root in scopes.scope_roots(user, scopes.Perm.VIEW_EMPLOYEES):
        q |= Q(**{f"{prefix}org_unit__path__startswith": root.path})
    return q


def editable_maps_q(user, prefix: str = "") -> Q:
    """A filter on CassMap for the maps `user` may edit."""
    if scopes.is_unrestricted(user):
        return Q()
    roots = scopes.scope_roots(user, scopes.Perm.EDIT_MODELS)
    q = Q(pk__in=[])  # nothing, on whichever model the filter is for
    for root in roots:
        q |= Q(**{f"{prefix}org_unit__path__startswith": root.path})
    return q


def visible_resources_q(user) -> Q:
    """A filter on Resource: published ones of visible maps, and any of a map he may edit."""
    if scopes.is_unrestricted(user):
        return Q()  # not `Q() & published | Q()`: an empty Q drops out of the OR
    return (visible_maps_q(user, "cass_map__") & Q(status=ResourceStatus.PUBLISHED)) | editable_maps_q(
        user, "cass_map__"
    )


def may_edit_map(user, cass_map: CassMap) -> bool:
    return scopes.unit_in_scope(user, scopes.Perm.EDIT_MODELS, cass_map.org_unit)


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("no such object") from None


def access_map_by_id(user, map_id, *, for_edit: bool = False) -> CassMap:
    cass_map = (CassMap.objects.filter(visible_maps_q(user), pk=_id(map_id))
                .select_related("org_unit").first())
    if cass_map is None:
        raise Http404("no such CASS map")
    if for_edit and not may_edit_map(user, cass_map):
        raise PermissionDenied("not allowed to edit this CASS map")
    return cass_map


def access_work_item_in_map(cass_map: CassMap, item_id) -> WorkItem:
    """A work item of a map the caller has already accessed; 404 if it belongs to another."""
    item = WorkItem.objects.filter(cass_map=cass_map, pk=_id(item_id)).first()
    if item is None:
        raise Http404("no such work item")
    item.cass_map = cass_map
    return item


def access_action_in_map(cass_map: CassMap, action_id) -> KeyAction:
    action = (KeyAction.objects.filter(cass_map=cass_map, pk=_id(action_id))
              .select_related("work_item").first())
    if action is None:
        raise Http404("no such key action")
    action.cass_map = cass_map
    return action


def access_resource_by_id(user, resource_id, *, for_edit: bool = False) -> Resource:
    resource = (Resource.objects.filter(visible_resources_q(user), pk=_id(resource_id))
                .select_related("cass_map__org_unit").first())
    if resource is None:
        raise Http404("no such resource")
    if for_edit and not may_edit_map(user, resource.cass_map):
        raise PermissionDenied("not allowed to edit this resource")
    return resource


def access_card_by_id(user, resource_id, *, for_edit: bool = False) -> Resource:
    """A Q&A card (a resource of kind qa_card, with its card row: one without is absent), as
    access_resource_by_id."""
    resource = (Resource.objects.filter(visible_resources_q(user), pk=_id(resource_id),
                                        kind=ResourceKind.QA_CARD, qa_card__isnull=False)
                .select_related("cass_map__org_unit", "qa_card")
                .prefetch_related("skills", "work_items").first())
    if resource is None:
        raise Http404("no such Q&A card")
    if for_edit and not may_edit_map(user, resource.cass_map):
        raise PermissionDenied("not allowed to edit this Q&A card")
    return resource
