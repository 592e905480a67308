"""佐证材料 on an S3-compatible object store: moto's server mode answers real HTTP on a local port (as MinIO would),
the "evidence" storage is django-storages' S3 backend built by the product's own settings helper from the
environment variables a deployment sets, and a file goes up through the service, comes down through the view, and is
read again by a brand-new storage (a restarted process)."""

import socket

import boto3
import pytest
from django.core.files import storage as storage_module
from django.core.files.storage import StorageHandler
from django.test import override_settings
from django.urls import reverse

from tests.evidence import helpers as h
from tests.evidence.conftest import attach_pdf
from zhaoshang.envconf import env_evidence_storage
from zhaoshang.evidence.models import Attachment

BUCKET = "zhaoshang-evidence"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


KEY, SECRET, REGION = "test-access", "test-secret", "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer  # noqa: PLC0415  only these tests start it

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_evidence(s3_server, settings, monkeypatch):
    """The "evidence" storage pointed at the local S3 server, configured the way a deployment does: environment
    variables read by envconf.env_evidence_storage."""
    for name, value in {
        "ZHAOSHANG_EVIDENCE_S3_BUCKET": BUCKET,
        "ZHAOSHANG_EVIDENCE_S3_ENDPOINT_URL": s3_server,
        "ZHAOSHANG_EVIDENCE_S3_ACCESS_KEY": KEY,
        "ZHAOSHANG_EVIDENCE_S3_SECRET_KEY": SECRET,
        "ZHAOSHANG_EVIDENCE_S3_REGION": REGION,
        "ZHAOSHANG_EVIDENCE_S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION
    )
    client.create_bucket(Bucket=BUCKET)
    configured = {**settings.STORAGES, "evidence": env_evidence_storage("/nonexistent")}
    assert configured["evidence"]["BACKEND"] == "storages.backends.s3.S3Storage"
    with override_settings(STORAGES=configured):
        # The storages handler keeps the storages it built; override_settings' setting_changed resets its cache, and
        # so does this, to be sure the S3 one is built now.
        storage_module.storages._storages = {}
        assert type(storage_module.storages["evidence"]).__name__ == "S3Storage"
        yield client
    storage_module.storages._storages = {}
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.mark.django_db
def test_a_file_goes_to_the_object_store_and_comes_back_through_the_view(county, client_for, s3_evidence):
    found = attach_pdf(county.reporter, name="投资合同.pdf", project=county.project)
    (stored,) = s3_evidence.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert stored["Key"] == found.file.name and stored["Size"] == len(h.PDF)
    assert s3_evidence.get_object(Bucket=BUCKET, Key=found.file.name)["Body"].read() == h.PDF
    # private: the object grants nobody but its owner (no public-read ACL)
    grants = s3_evidence.get_object_acl(Bucket=BUCKET, Key=found.file.name)["Grants"]
    assert all(g["Grantee"].get("URI", "").endswith("AllUsers") is False for g in grants)

    response = client_for(county.leader).get(reverse("evidence_file", args=[found.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == h.PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert client_for(county.outsider).get(reverse("evidence_file", args=[found.pk])).status_code == 404


@pytest.mark.django_db
def test_the_object_store_keeps_the_file_across_a_restart(county, client_for, s3_evidence, settings):
    photo = attach_pdf(county.reporter, project=county.project)
    fresh = StorageHandler(settings.STORAGES)["evidence"]  # nothing shared with the storage that wrote it
    with fresh.open(photo.file.name, "rb") as handle:
        assert handle.read() == h.PDF
    storage_module.storages._storages = {}  # the process's handler forgets what it built, as after a restart
    again = Attachment.objects.get(pk=photo.pk)
    assert again.file.storage.exists(again.file.name)
    assert body(client_for(county.bureau).get(reverse("evidence_file", args=[again.pk]))) == h.PDF


@pytest.mark.django_db
def test_deleting_removes_the_object(county, s3_evidence, django_capture_on_commit_callbacks):
    from zhaoshang.evidence import services  # noqa: PLC0415

    found = attach_pdf(county.reporter, project=county.project)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(actor=county.reporter, attachment=found)
    assert "Contents" not in s3_evidence.list_objects_v2(Bucket=BUCKET)
