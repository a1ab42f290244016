"""Media storage is configured from the environment: the file system by default, an
S3-compatible bucket (django-storages) when MEDIA_S3_BUCKET is set, without S3 being needed."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _storages(tmp_path, **env) -> dict:
    code = ("import json, casspath.settings as s; "
            "print(json.dumps({'storages': s.STORAGES, 'redirect': s.MEDIA_REDIRECT_TO_STORAGE, "
            "'media_request': s.REQUEST_MAX_BYTES_MEDIA, 'request': s.REQUEST_MAX_BYTES}))")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_")}
    environment.update({"CASSPATH_VAR_DIR": str(tmp_path), **env})
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,  # noqa: S603
                         capture_output=True,
                         text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def test_it_keeps_media_on_the_file_system_by_default(tmp_path):
    found = _storages(tmp_path)
    assert found["storages"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["redirect"] is False
    assert found["media_request"] > 200 * 2**20 > found["request"]


def test_it_uses_an_s3_compatible_bucket_when_configured(tmp_path):
    found = _storages(tmp_path, MEDIA_S3_BUCKET="casspath-media",
                      MEDIA_S3_ENDPOINT_URL="https://minio.local:9000",
                      MEDIA_REDIRECT_TO_STORAGE="1", MEDIA_MAX_BYTES_VIDEO=str(20 * 2**20))
    default = found["storages"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "casspath-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://minio.local:9000"
    assert default["OPTIONS"]["default_acl"] is None and default["OPTIONS"]["querystring_auth"] is True
    assert found["redirect"] is True
    assert found["media_request"] == max(20 * 2**20, 50 * 2**20) + 11 * 2**20
