"""What the competency actions share."""

from casspath.competency.errors import ModelNotEditable
from casspath.competency.models import CompetencyModel
from casspath.org import scopes
from casspath.org.models import Grade, Stage

Status = CompetencyModel.Status
# Fields that a foreign key points at: validated by construction, and checking each one
# in full_clean would cost a query per row.
FK_FIELDS = ["model", "module", "dimension", "stage", "grade", "org_unit", "derived_from"]


def known_codes() -> tuple[set[str], set[str]]:
    return set(Stage.objects.values_list("code", flat=True)), set(
        Grade.objects.values_list("code", flat=True)
    )


def clean(obj) -> None:
    """Field checks of a model row, without the queries of foreign keys and uniqueness."""
    obj.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


def require_draft(model: CompetencyModel) -> None:
    if model.status != Status.DRAFT:
        raise ModelNotEditable(
            f"{model} 状态为「{Status(model.status).label}」，只能修改草稿版本；请先创建新版本",
            f"{model} is {model.status}: only a draft can be edited; start a new version first",
        )


def lock_model(model: CompetencyModel) -> None:
    """Lock the model's row until the transaction ends and re-read it into `model`: what
    follows checks the row as it is now, not as a view loaded it (another admin may have
    published or discarded the draft since), and nobody changes it before we commit."""
    try:
        model.refresh_from_db(from_queryset=CompetencyModel.objects.select_for_update())
    except CompetencyModel.DoesNotExist:
        raise ModelNotEditable(
            f"{model} 已被删除，不能修改", f"{model} no longer exists and cannot be edited"
        ) from None


def require_editable(model: CompetencyModel, acting_user) -> None:
    """The actor may edit the model's owner unit, and the model is a draft, both checked on
    the row locked and re-read (`lock_model`). Call it inside the action's transaction."""
    lock_model(model)
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, model.org_unit)
    require_draft(model)
