"""Where stored files go: the file system by default, an S3-compatible bucket when configured
(private objects, never overwritten, signed reads), with credentials from the environment."""

from tsoc_tracker.settings import file_storage


def test_files_are_kept_on_the_file_system_without_a_bucket():
    assert file_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_sends_them_to_an_s3_compatible_store(monkeypatch, tmp_path):
    secret = tmp_path / "s3_secret"
    secret.write_text("s3cr3t\n")
    monkeypatch.setenv("STORAGE_S3_ENDPOINT_URL", "https://minio.agency.govt.nz")
    monkeypatch.setenv("STORAGE_S3_REGION", "nz-north-1")
    monkeypatch.setenv("STORAGE_S3_ACCESS_KEY_ID", "tracker")
    monkeypatch.setenv("STORAGE_S3_SECRET_ACCESS_KEY_FILE", str(secret))
    monkeypatch.setenv("STORAGE_S3_PREFIX", "tsoc")

    storage = file_storage("tsoc-files")

    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "tsoc-files",
            "endpoint_url": "https://minio.agency.govt.nz",
            "region_name": "nz-north-1",
            "access_key": "tracker",
            "secret_key": "s3cr3t",
            "location": "tsoc",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
