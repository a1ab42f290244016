"""The audit verbs of the CASS map and its learning resources."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class CassVerb(AuditVerb):
    CREATE_MAP = "cass.create_map", _("CASS map created")
    UPDATE_MAP = "cass.update_map", _("CASS map changed")
    SAVE_WORK_ITEM = "cass.save_work_item", _("Work item saved")
    REMOVE_WORK_ITEM = "cass.remove_work_item", _("Work item removed")
    SAVE_KEY_ACTION = "cass.save_key_action", _("Key action saved")
    REMOVE_KEY_ACTION = "cass.remove_key_action", _("Key action removed")
    MOVE_KEY_ACTION = "cass.move_key_action", _("Key action moved")
    SAVE_RESOURCE = "cass.save_resource", _("Learning resource saved")
    SET_RESOURCE_STATUS = "cass.set_resource_status", _("Learning resource status changed")
    REMOVE_RESOURCE = "cass.remove_resource", _("Learning resource removed")
    IMPORT_MAP = "cass.import_map", _("CASS map imported")
    EXPORT_MAP = "cass.export_map", _("CASS map exported")
    IMPORT_QA_CARDS = "cass.import_qa_cards", _("Q&A cards imported")
    EXPORT_QA_CARDS = "cass.export_qa_cards", _("Q&A cards exported")
    SAVE_QA_CARD = "cass.save_qa_card", _("Q&A card saved")
    UPLOAD_RESOURCE_FILES = "cass.upload_resource_files", _("Learning resource media uploaded")
    COMPLETE_MEDIA = "cass.complete_media", _("Video or audio watched to the end")
