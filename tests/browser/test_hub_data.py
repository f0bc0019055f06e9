"""The hub data a coordinator or manager sends from the browser (issue 16): a hubs CSV with
one bad row is refused whole with the row, column and reason on the console, then a good
one is imported; a manager uploads a logo made here by Pillow and sees it on their page,
and a text file named .png is refused with the reason."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Organisation
from tests.support.browser_fixtures import HUB, OpenVisit, sign_in

COORDINATOR = "coordinator@example.org"
HEADER = "slug,name,country,city,desks\n"
GOOD = "tile-works,Tile Works,PT,Lisbon,4\n"
BAD = "clay-room,Clay Room,PT,Porto,many\n"


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


def organisations(served_app: Flask) -> int:
    with served_app.app_context():
        return db.session.scalar(select(func.count()).select_from(Organisation)) or 0


def csv_file(content: str) -> dict[str, object]:
    return {"name": "hubs.csv", "mimeType": "text/csv", "buffer": content.encode()}


def test_a_csv_with_a_bad_row_is_refused_whole_then_a_good_one_imported(
    open_visit: OpenVisit, served_app: Flask
):
    visit = open_visit(signed_in=False)
    page = visit.page
    sign_in(page, COORDINATOR)
    page.goto("/coordination/")
    before = organisations(served_app)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the hubs (CSV)").click()
    assert download.value.suggested_filename.startswith("hubs-")
    page.get_by_label("Hubs CSV file").set_input_files(csv_file(HEADER + GOOD + BAD))
    with visit.refused("/coordination/hubs/import", 400):
        page.get_by_role("button", name="Upload and import").click()
    report = page.locator("#import-problems")
    expect(report).to_contain_text("1 problem found; nothing was imported.")
    expect(report.get_by_role("row").nth(1)).to_have_text("3desks'many' is not a whole number")
    visit.shot("coordination-csv-bad-row", full_page=True)
    assert organisations(served_app) == before
    page.get_by_label("Hubs CSV file").set_input_files(csv_file(HEADER + GOOD))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("status")).to_contain_text("1 created, 0 updated, 0 unchanged")
    assert organisations(served_app) == before + 1


def test_a_manager_uploads_a_logo_and_a_text_file_is_refused(open_visit: OpenVisit):
    visit = open_visit()
    page = visit.page
    page.goto(f"/hubs/{HUB}/edit")
    page.get_by_label("A PNG, JPEG or WebP picture").set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"not a picture at all\n"}
    )
    with visit.refused(f"/hubs/{HUB}/logo", 400):
        page.get_by_role("button", name="Upload the picture").click()
    expect(page.locator("#logo-error")).to_have_text("is not a PNG, JPEG or WebP picture")
    drawn = io.BytesIO()
    Image.new("RGB", (800, 400), (11, 110, 105)).save(drawn, "PNG")
    page.get_by_label("A PNG, JPEG or WebP picture").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": drawn.getvalue()}
    )
    page.get_by_role("button", name="Upload the picture").click()
    expect(page.get_by_role("status")).to_contain_text("The new picture is saved")
    picture = page.get_by_role("img", name="Logo of Yeast House")
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.naturalWidth") == 512
    visit.shot("hub-page-with-logo")
    page.goto("/?q=yeast")
    thumbnail = page.get_by_role("img", name="Logo of Yeast House")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.naturalWidth") == 96
