"""The audit verbs of the import framework's runs. Each importer declares the verbs of its
own applied imports and exports (`Importer.audit_verb`, `export_verb`) in its app."""

from django.utils.translation import gettext_lazy as _

from casspath.core.audit import AuditVerb


class ImportVerb(AuditVerb):
    UPLOAD = "import.upload", _("Import file uploaded")
    APPLY = "import.apply", _("Import applied")
    RETRY = "import.retry", _("Import retried")
    PURGE_FILES = "import.purge_files", _("Import files purged")
