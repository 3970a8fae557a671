"""``?format=csv`` on every list, for spreadsheet users."""

import csv
import io

import pytest

from tests.api.test_reading import LISTS

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("url", LISTS)
def test_every_list_comes_as_csv(api_as, world, viewer, url):
    response = api_as(viewer).get(f"{url}?format=csv")
    rows(response)
    assert response["Content-Disposition"].startswith("attachment; filename=")


def test_csv_asked_for_with_the_accept_header(api_as, world, viewer):
    response = api_as(viewer).get("/api/v1/actions/", HTTP_ACCEPT="text/csv")
    assert len(rows(response)) == 3


def test_actions_as_csv_flatten_agencies_and_progress(api_as, world, viewer):
    table = {
        row["reference"]: row for row in rows(api_as(viewer).get("/api/v1/actions/?format=csv"))
    }
    one = table["TSOC 1"]
    assert one["agencies.agency"] == "customs; police"
    assert one["agencies.role"] == "coordinating; supporting"
    assert one["progress.status"] == "none"  # a draft and supporting input count for nothing
    assert one["progress.period"] == "2026-Q3"
    assert one["priority_areas"] == "prevent"
    assert one["overdue"] == "false"
    assert table["TSOC 2a"]["progress.status"] == "at_risk"
    assert table["TSOC 2a"]["progress.returns.agency"] == "police"
    assert (table["TSOC 2"]["progress.status"], table["TSOC 2"]["progress.lines_reported"]) == (
        "at_risk",
        "1",
    )


def test_csv_times_are_iso_8601_utc(api_as, world, viewer):
    row = rows(api_as(viewer).get("/api/v1/status-updates/?format=csv&page_size=1"))[0]
    assert row["created_at"].endswith("Z") and "T" in row["created_at"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(api_as, world, viewer, start):
    update = world["accepted"]
    update.commentary = f'{start}HYPERLINK("http://evil.example","click")'
    update.save()
    table = rows(
        api_as(viewer).get(f"/api/v1/status-updates/?format=csv&action_id={update.action_id}")
    )
    commentary = {row["id"]: row["commentary"] for row in table}[str(update.pk)]
    assert commentary == "'" + update.commentary


def test_csv_pages_like_json_with_a_link_header(api_as, world, viewer):
    response = api_as(viewer).get("/api/v1/actions/?format=csv&page_size=2")
    assert len(rows(response)) == 2
    assert 'rel="next"' in response["Link"] and "format=csv" in response["Link"]


def test_an_empty_list_still_has_its_header(api_as, world, viewer):
    response = api_as(viewer).get("/api/v1/actions/?format=csv&plan=none")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffid,plan_id,plan,reference,kind,number")
