"""Evidence through the API, under the same rules as the pages: listed to whoever sees the
return, attached (a file as multipart, a link as JSON) only to a return the caller may still
edit, files checked from their content, downloaded as attachments."""

import pytest

from reporting.models import Evidence
from tests.api.helpers import assert_error, results
from tests.reporting import evidence_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_lead_attaches_a_file_and_reads_it_back_with_its_token(api_with_token, world, lead):
    client = api_with_token(lead)
    response = client.post(
        "/api/v1/evidence/",
        {"update_id": world["draft"].pk, "file": files.upload("Audits.xlsx", files.XLSX)},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["name"], body["size"], body["added_by"]) == (
        "file",
        "Audits.xlsx",
        len(files.XLSX),
        lead.username,
    )
    assert body["content_type"].endswith("spreadsheetml.sheet")
    assert response["Location"].endswith(f"/api/v1/evidence/{body['id']}/")
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Audits.xlsx"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == files.XLSX


def test_a_link_is_attached_as_json(api_with_token, world, contributor):
    response = api_with_token(contributor).post(
        "/api/v1/evidence/",
        {"update_id": world["draft"].pk, "url": "https://example.govt.nz/a", "name": "Audit"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["download_url"]) == ("link", None)


def test_a_renamed_file_is_refused_in_the_error_shape(api_with_token, world, lead):
    response = api_with_token(lead).post(
        "/api/v1/evidence/",
        {"update_id": world["draft"].pk, "file": files.upload("Audits.pdf", files.PNG)},
        format="multipart",
    )

    body = assert_error(response, 400)
    assert "its content is a PNG image" in str(body["errors"])
    assert not Evidence.objects.exists()


def test_attaching_to_a_submitted_return_is_a_conflict(api_with_token, world, other_lead):
    response = api_with_token(other_lead).post(
        "/api/v1/evidence/",
        {"update_id": world["submitted"].pk, "url": "https://example.govt.nz/a"},
        format="json",
    )

    assert_error(response, 409)


def test_the_list_follows_who_sees_the_return(
    api_with_token, world, hidden_update, lead, other_lead, viewer
):
    Evidence.objects.create(update=hidden_update, name="Police 2", url="https://x.govt.nz/2")
    Evidence.objects.create(update=world["draft"], name="Customs 1", url="https://x.govt.nz/1")

    def names(user, **params):
        rows = results(api_with_token(user).get("/api/v1/evidence/", params))
        return {row["name"] for row in rows}

    assert names(viewer) == {"Police 2", "Customs 1"}
    assert names(lead) == {"Customs 1"}  # Customs doesn't coordinate TSOC 9
    assert names(other_lead) == {"Police 2", "Customs 1"}  # Police supports TSOC 1
    assert names(viewer, update_id=world["draft"].pk) == {"Customs 1"}
