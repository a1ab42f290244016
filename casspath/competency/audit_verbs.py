"""The audit verbs of competency: versions, a draft's edits, loading and export."""

from casspath.core.audit import AuditVerb


class CompetencyVerb(AuditVerb):
    START_NEW_VERSION = "competency.start_new_version"
    PUBLISH_MODEL = "competency.publish_model"
    DISCARD_DRAFT = "competency.discard_draft"
    LOAD_MODEL = "competency.load_model"
    UPDATE_MODEL = "competency.update_model"
    UPDATE_LEVELS = "competency.update_levels"
    ADD_MODULE = "competency.add_module"
    UPDATE_MODULE = "competency.update_module"
    MOVE_MODULE = "competency.move_module"
    REMOVE_MODULE = "competency.remove_module"
    ADD_DIMENSION = "competency.add_dimension"
    UPDATE_DIMENSION = "competency.update_dimension"
    REMOVE_DIMENSION = "competency.remove_dimension"
    SET_INDICATORS = "competency.set_indicators"
    SET_REQUIREMENTS = "competency.set_requirements"
    EXPORT_MODEL = "export.competency"
    RESTORE_VERSION = "competency.restore_version"
