"""The audit verbs of the import framework's runs. Each importer declares the verbs of its
own applied imports and exports (`Importer.audit_verb`, `export_verb`) in its app."""

from casspath.core.audit import AuditVerb


class ImportVerb(AuditVerb):
    UPLOAD = "import.upload"
    APPLY = "import.apply"
    RETRY = "import.retry"
    PURGE_FILES = "import.purge_files"
