"""GET /api/v1/competency/models and /models/{id}: the models a user may read.

Authentication is set on the API as a whole (casspath/site/api.py); `api_user` gives the
user a call acts as.
"""

from datetime import datetime

from ninja import Router, Schema

from casspath.api.auth import api_user
from casspath.competency.access import access_model_by_id
from casspath.competency.models import CompetencyModel
from casspath.competency.queries import model_tree, models_for, requirement_rows

router = Router(tags=["competency"])


class ModelOut(Schema):
    id: int
    family: str
    version: int
    name: str
    name_en: str
    status: str
    org_unit_code: str
    org_unit_name: str
    created_at: datetime
    published_at: datetime | None


class LevelOut(Schema):
    level: int
    title: str
    title_en: str
    description: str


class BehaviourOut(Schema):
    level: int
    indicators: list[str]


class DimensionOut(Schema):
    code: str
    name: str
    name_en: str
    category: str
    description: str
    levels: list[BehaviourOut]


class ModuleOut(Schema):
    code: str
    name: str
    name_en: str
    dimensions: list[DimensionOut]


class RequirementOut(Schema):
    dimension: str
    stage: str | None
    grade: str | None
    level: int
    weight: float


class ModelDetailOut(ModelOut):
    description: str
    levels: list[LevelOut]
    modules: list[ModuleOut]
    requirements: list[RequirementOut]


def _summary(model: CompetencyModel) -> dict:
    return {
        "id": model.pk,
        "family": model.family,
        "version": model.version,
        "name": model.name,
        "name_en": model.name_en,
        "status": model.status,
        "org_unit_code": model.org_unit.code,
        "org_unit_name": model.org_unit.name,
        "created_at": model.created_at,
        "published_at": model.published_at,
    }


@router.get("/models", response=list[ModelOut], summary="Competency models visible to the user")
def list_models(request):
    return [_summary(model) for model in models_for(api_user(request))]


@router.get("/models/{model_id}", response=ModelDetailOut, summary="One model with its content")
def get_model(request, model_id: int):
    model = access_model_by_id(api_user(request), model_id)
    tree = model_tree(model)
    requirements = requirement_rows(model)
    return {
        **_summary(model),
        "description": model.description,
        "levels": [
            {"level": t.level, "title": t.title, "title_en": t.title_en, "description": t.description}
            for t in tree.levels
        ],
        "modules": [
            {
                "code": mv.module.code,
                "name": mv.module.name,
                "name_en": mv.module.name_en,
                "dimensions": [
                    {
                        "code": dv.dimension.code,
                        "name": dv.dimension.name,
                        "name_en": dv.dimension.name_en,
                        "category": dv.dimension.category,
                        "description": dv.dimension.description,
                        "levels": [
                            {"level": level, "indicators": lines}
                            for level, lines in sorted(dv.behaviours.items())
                        ],
                    }
                    for dv in mv.dimensions
                ],
            }
            for mv in tree.modules
        ],
        "requirements": [
            {"dimension": code, "stage": stage, "grade": grade, "level": level, "weight": float(weight)}
            for code, stage, grade, level, weight in requirements
        ],
    }
