"""Where generated files only their owners may download are kept (settings.STORAGES
"private"): through Django's storage API, so that a site on many machines swaps the backend
(django-storages' S3) in settings alone. The default is a folder, PRIVATE_FILES_DIR, that no
URL serves: a view checks who asks and streams the file."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileStorage(FileSystemStorage):
    """FileSystemStorage under settings.PRIVATE_FILES_DIR, read when used (not once, as
    MEDIA_ROOT is), so that a test's own folder applies; it has no URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_FILES_DIR)  # type: ignore[attr-defined]

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def delete(self, name):
        """Delete the file and then the folders it leaves empty (a report's own folder,
        diagnosis-reports/<id>/), up to the storage's root, which stays."""
        super().delete(name)
        folder = os.path.dirname(self.path(name))
        while folder.startswith(self.location + os.sep):
            try:
                os.rmdir(folder)  # only an empty folder; a file beside it keeps it
            except OSError:
                break
            folder = os.path.dirname(folder)


def private_storage():
    """The storage of private files, for a FileField's `storage` (a callable: the field
    names it in migrations, and settings choose the backend)."""
    return storages["private"]
