"""Private files: deleting one takes the folders it leaves empty, never the root."""

from django.core.files.base import ContentFile

from casspath.core.storage import private_storage


def test_it_removes_the_folders_a_deleted_file_leaves_empty(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    storage = private_storage()
    kept = storage.save("diagnosis-reports/1/a.pdf", ContentFile(b"a"))
    gone = storage.save("diagnosis-reports/2/b.pdf", ContentFile(b"b"))
    storage.delete(gone)
    assert not (tmp_path / "diagnosis-reports" / "2").exists()
    assert (tmp_path / "diagnosis-reports" / "1").exists()
    storage.delete(kept)
    assert not (tmp_path / "diagnosis-reports").exists()
    assert tmp_path.exists()


def test_it_keeps_a_folder_that_still_holds_a_file(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    storage = private_storage()
    first = storage.save("r/1/a.pdf", ContentFile(b"a"))
    storage.save("r/1/a.xlsx", ContentFile(b"x"))
    storage.delete(first)
    assert (tmp_path / "r" / "1" / "a.xlsx").exists()
    storage.delete("r/1/missing.pdf")  # a missing file is no error
