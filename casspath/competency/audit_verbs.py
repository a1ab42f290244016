"""The audit verbs of competency: versions, a draft's edits, loading and export."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class CompetencyVerb(AuditVerb):
    START_NEW_VERSION = "competency.start_new_version", _("Competency model: new version started")
    PUBLISH_MODEL = "competency.publish_model", _("Competency model published")
    DISCARD_DRAFT = "competency.discard_draft", _("Competency draft discarded")
    LOAD_MODEL = "competency.load_model", _("Competency model loaded")
    UPDATE_MODEL = "competency.update_model", _("Competency model changed")
    UPDATE_LEVELS = "competency.update_levels", _("Proficiency levels changed")
    ADD_MODULE = "competency.add_module", _("Module added")
    UPDATE_MODULE = "competency.update_module", _("Module changed")
    MOVE_MODULE = "competency.move_module", _("Module moved")
    REMOVE_MODULE = "competency.remove_module", _("Module removed")
    ADD_DIMENSION = "competency.add_dimension", _("Dimension added")
    UPDATE_DIMENSION = "competency.update_dimension", _("Dimension changed")
    REMOVE_DIMENSION = "competency.remove_dimension", _("Dimension removed")
    SET_INDICATORS = "competency.set_indicators", _("Indicators set")
    SET_REQUIREMENTS = "competency.set_requirements", _("Requirements set")
    EXPORT_MODEL = "export.competency", _("Competency model exported")
    RESTORE_VERSION = "competency.restore_version", _("Competency version restored")
