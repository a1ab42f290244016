"""The audit verbs of the knowledge assets: work guides, the process map, the product map,
product courses, pocket books."""

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
    CREATE_COURSE = "knowledge.create_course", _("Product course created")
    UPDATE_COURSE = "knowledge.update_course", _("Product course changed")
    SAVE_QUESTION = "knowledge.save_course_question", _("Course check question saved")
    REMOVE_QUESTION = "knowledge.remove_course_question", _("Course check question removed")
    UPDATE_MANUAL = "knowledge.update_manual", _("Lecturer manual changed")
    SAVE_SEGMENT = "knowledge.save_manual_segment", _("Lecturer manual segment saved")
    MOVE_SEGMENT = "knowledge.move_manual_segment", _("Lecturer manual segment moved")
    REMOVE_SEGMENT = "knowledge.remove_manual_segment", _("Lecturer manual segment removed")
    QUEUE_COURSE_PDF = "knowledge.queue_course_pdf", _("Course PDF queued")
    SAVE_INDUSTRY = "knowledge.save_industry", _("Industry saved")
    SAVE_PRODUCT = "knowledge.save_product", _("Product saved")
    REMOVE_PRODUCT = "knowledge.remove_product", _("Product removed")
    SAVE_TARIFFS = "knowledge.save_tariffs", _("Product tariff saved")
    SAVE_ACTIVATION = "knowledge.save_activation", _("Product activation process saved")
    SET_ACTIVATION_IMAGE = "knowledge.set_activation_image", _("Activation step screenshot changed")
    SAVE_SOLUTION = "knowledge.save_solution", _("Solution saved")
    REMOVE_SOLUTION = "knowledge.remove_solution", _("Solution removed")
    IMPORT_PRODUCTS = "knowledge.import_products", _("Product map imported")
    EXPORT_PRODUCTS = "knowledge.export_products", _("Product map exported")
    QUEUE_POCKETBOOK = "knowledge.queue_pocketbook", _("Pocket book queued")
