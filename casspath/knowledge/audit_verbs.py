"""The audit verbs of the knowledge assets: work guides, the process map, the case library."""

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
    CREATE_CASE = "knowledge.create_case", _("Case written")
    UPDATE_CASE = "knowledge.update_case", _("Case changed")
    SUBMIT_CASE = "knowledge.submit_case", _("Case submitted for review")
    REQUEST_CASE_CHANGES = "knowledge.request_case_changes", _("Case sent back for changes")
    PUBLISH_CASE = "knowledge.publish_case", _("Case published")
    RETIRE_CASE = "knowledge.retire_case", _("Case retired")
    READ_CASE = "knowledge.read_case", _("Case read")
    COMMENT_CASE = "knowledge.comment_case", _("Case commented")
    MARK_CASE_USEFUL = "knowledge.mark_case_useful", _("Case marked useful")
    UNMARK_CASE_USEFUL = "knowledge.unmark_case_useful", _("Case useful mark taken back")
    PICK_CASE = "knowledge.pick_case", _("Case pick changed")
    ADD_CASE_ATTACHMENT = "knowledge.add_case_attachment", _("Case attachment added")
    REMOVE_CASE_ATTACHMENT = "knowledge.remove_case_attachment", _("Case attachment removed")
    IMPORT_CASES = "knowledge.import_cases", _("Cases imported")
