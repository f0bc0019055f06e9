"""The hubs CSV from the coordination console: the download is the command's export, an
upload is imported whole or not at all with each bad row reported on the page, only
coordinators and admins may do either, the form needs its CSRF token, and a file over the
limit is refused with the limit."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.errors import Forbidden, InputError
from matchmaker.hubs.csv_export import export_hubs_csv
from matchmaker.hubs.csv_upload import import_hubs_upload
from matchmaker.models import Organisation, Role
from tests.support.builders import make_hub, person
from tests.support.web import csrf_token, sign_in

HEADER = "slug,name,country,city,desks\n"
GOOD = "tile-works,Tile Works,PT,Lisbon,4\n"
PASSWORD_HASH = generate_password_hash("a-password-for-all", method="pbkdf2:sha256:1000")
BAD = "clay-room,Clay Room,XX,Porto,many\n"  # an unknown country and a word for a number


def count_hubs(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Organisation)) or 0


@pytest.fixture
def people(session: Session) -> dict[str, object]:
    hub = make_hub(session, "yeast-house")
    password = {"password_hash": PASSWORD_HASH}
    found = {
        "coordinator": person(session, "c@x.org", Role.COORDINATOR, **password),
        "admin": person(session, "a@x.org", Role.ADMIN, **password),
        "manager": person(session, "m@x.org", hub=hub, **password),
    }
    session.commit()
    return found


def upload(client, content: bytes, name: str = "hubs.csv"):
    token = csrf_token(client, "/account")
    return client.post(
        "/coordination/hubs/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_an_import_with_one_bad_row_stores_nothing_and_says_which_row(session, people):
    before = count_hubs(session)
    outcome = import_hubs_upload(
        session, people["coordinator"], io.BytesIO((HEADER + GOOD + BAD).encode())
    )
    assert count_hubs(session) == before
    assert [(e.row, e.column, e.reason) for e in outcome.errors] == [
        (3, "desks", "'many' is not a whole number")
    ]
    assert outcome.summary is None


def test_a_good_upload_is_imported_and_a_manager_may_not(session, people):
    with pytest.raises(Forbidden):
        import_hubs_upload(session, people["manager"], io.BytesIO((HEADER + GOOD).encode()))
    outcome = import_hubs_upload(
        session, people["coordinator"], io.BytesIO(("\ufeff" + HEADER + GOOD).encode())
    )
    assert not outcome.errors and outcome.summary and outcome.summary.created == 1
    session.expire_all()
    stored = session.scalar(select(Organisation).where(Organisation.slug == "tile-works"))
    assert stored is not None and stored.desks == 4 and stored.city == "Lisbon"


def test_a_file_that_is_not_utf8_text_is_refused_on_its_field(session, people):
    with pytest.raises(InputError) as refused:
        import_hubs_upload(
            session, people["coordinator"], io.BytesIO((HEADER + GOOD).encode("utf-16"))
        )
    assert "is not UTF-8 text" in refused.value.problems["file"]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_console_reports_each_bad_row_and_changes_nothing(client, session, people, role):
    sign_in(client, f"{role[0]}@x.org", "a-password-for-all")
    before = count_hubs(session)
    response = upload(client, (HEADER + GOOD + BAD).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was imported" in page
    assert "<td>3</td><td>desks</td><td>&#39;many&#39; is not a whole number</td>" in page
    assert count_hubs(session) == before


def test_the_console_imports_a_good_file_and_says_what_changed(client, session, people):
    sign_in(client, "c@x.org", "a-password-for-all")
    response = upload(client, (HEADER + GOOD).encode())
    assert response.status_code == 302
    page = client.get("/coordination/").get_data(as_text=True)
    assert "Imported hubs.csv: 1 created, 0 updated, 0 unchanged." in page
    assert session.scalar(select(Organisation.name).where(Organisation.slug == "tile-works"))


def test_the_download_is_the_commands_export(client, session, people):
    sign_in(client, "c@x.org", "a-password-for-all")
    response = client.get("/coordination/hubs.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    expected = io.StringIO()
    export_hubs_csv(session, expected)
    assert response.get_data(as_text=True) == expected.getvalue()
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["slug"] for row in rows] == ["yeast-house"]


def test_managers_may_neither_download_nor_upload(client, session, people):
    sign_in(client, "m@x.org", "a-password-for-all")
    assert client.get("/coordination/hubs.csv").status_code == 403
    before = count_hubs(session)
    assert upload(client, (HEADER + GOOD).encode()).status_code == 403
    assert count_hubs(session) == before


def test_an_upload_without_its_csrf_token_is_refused(client, session, people):
    sign_in(client, "c@x.org", "a-password-for-all")
    response = client.post(
        "/coordination/hubs/import",
        data={"file": (io.BytesIO((HEADER + GOOD).encode()), "hubs.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert count_hubs(session) == 1


def test_a_file_over_the_limit_is_refused_with_the_limit(app: Flask, client, session, people):
    sign_in(client, "c@x.org", "a-password-for-all")
    saved = app.config["HUBS_CSV_MAX_BYTES"]
    # Small enough for the test client and the form parser to keep the file in memory.
    app.config["HUBS_CSV_MAX_BYTES"] = 100 * 1024
    try:
        # Over the file's limit but within the request's: the console says so on the field.
        just_over = upload(client, (HEADER + GOOD * 4_000)[: 100 * 1024 + 10].encode())
        assert just_over.status_code == 413
        assert "is larger than 100 KB" in just_over.get_data(as_text=True)
        # Far over: refused before the body is read.
        far_over = upload(client, b"x" * (300 * 1024))
        assert far_over.status_code == 413
        assert "The hubs CSV file is larger than 100 KB" in far_over.get_data(as_text=True)
    finally:
        app.config["HUBS_CSV_MAX_BYTES"] = saved
    assert count_hubs(session) == 1
