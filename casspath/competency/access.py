"""The only way a view or endpoint loads a competency model.

Everyone logged in may read the models that apply to him: those owned by a unit above or
at one of his role units or his own employee unit (a province model applies to its teams),
and those owned inside his VIEW_EMPLOYEES scope. Editing needs EDIT_MODELS over the owner
unit. The same 404 for "absent" and "not visible"; 403 for visible but not editable.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from casspath.competency.models import CompetencyModel, Dimension, Module
from casspath.org import scopes
from casspath.org.queries import applying_unit_ids


def visible_models_q(user) -> Q:
    """A filter on CompetencyModel for the models `user` may read."""
    if scopes.is_unrestricted(user):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(org_unit_id__in=applying_unit_ids(user))
    for root in scopes.scope_roots(user, scopes.Perm.VIEW_EMPLOYEES):
        q |= Q(org_unit__path__startswith=root.path)
    return q


def may_edit_model(user, model: CompetencyModel) -> bool:
    return scopes.unit_in_scope(user, scopes.Perm.EDIT_MODELS, model.org_unit)


def access_model_by_id(user, model_id, *, for_edit: bool = False) -> CompetencyModel:
    try:
        model_id = int(model_id)
    except (TypeError, ValueError):
        raise Http404("no such model") from None
    model = (
        CompetencyModel.objects.filter(visible_models_q(user), pk=model_id)
        .select_related("org_unit", "derived_from")
        .first()
    )
    if model is None:
        raise Http404("no such model")
    if for_edit and not may_edit_model(user, model):
        raise PermissionDenied("not allowed to edit this model")
    return model


def access_module_in_model(model: CompetencyModel, module_id: int) -> Module:
    """A module of a model the caller has already accessed; 404 if it belongs to another."""
    module = Module.objects.filter(model=model, pk=module_id).first()
    if module is None:
        raise Http404("no such module")
    module.model = model
    return module


def access_dimension_in_model(model: CompetencyModel, code: str) -> Dimension:
    """A dimension, by its code, of a model the caller has already accessed."""
    dimension = Dimension.objects.filter(model=model, code=code).select_related("module").first()
    if dimension is None:
        raise Http404("no such dimension")
    dimension.model = model
    return dimension
