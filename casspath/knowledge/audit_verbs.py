"""The audit verbs of the knowledge assets: work guides, the process map."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class KnowledgeVerb(AuditVerb):
    CREATE_GUIDE = "knowledge.create_guide", _("Work guide created")
    UPDATE_GUIDE = "knowledge.update_guide", _("Work guide changed")
    SAVE_STEP = "knowledge.save_step", _("Work guide step saved")
    MOVE_STEP = "knowledge.move_step", _("Work guide step moved")
    REMOVE_STEP = "knowledge.remove_step", _("Work guide step removed")
    ADD_IMAGE = "knowledge.add_image", _("Work guide image added")
    REMOVE_IMAGE = "knowledge.remove_image", _("Work guide image removed")
    QUEUE_PDF = "knowledge.queue_pdf", _("Work guide PDF queued")
    SAVE_PROCESS_STEP = "knowledge.save_process_step", _("Process map step saved")
    MOVE_PROCESS_STEP = "knowledge.move_process_step", _("Process map step moved")
    REMOVE_PROCESS_STEP = "knowledge.remove_process_step", _("Process map step removed")
    REPARENT_PROCESS_STEP = "knowledge.reparent_process_step", _("Process map step moved to another parent")
    IMPORT_PROCESS_MAP = "knowledge.import_process_map", _("Process map imported")
    EXPORT_PROCESS_MAP = "knowledge.export_process_map", _("Process map exported")
