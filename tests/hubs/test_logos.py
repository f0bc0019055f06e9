"""A hub's logo or photo, with real pictures drawn by Pillow here: PNG and JPEG are
resized and stored as WebP without their metadata, other files and pictures over the
limits are refused with the reason, only the hub's manager (or an admin) changes it, and
it is served to be cached and shown in the directory, on the hub's page and in
suggestions."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.accounts.tokens import create_token
from matchmaker.errors import Forbidden, InputError
from matchmaker.hubs.logos import LogoLimits, logo_file, remove_logo, save_logo
from matchmaker.hubs.records import ServiceRecord
from matchmaker.models import Organisation, Role, User
from tests.support.builders import make_hub, person
from tests.support.web import csrf_token, sign_in, valid

PASSWORD = "a-password-for-all"
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def picture(fmt: str, size: tuple[int, int], mode: str = "RGB", **save: object) -> bytes:
    image = Image.new(mode, size, "red" if mode != "1" else 0)
    if mode in ("RGB", "RGBA"):
        for x in range(0, size[0], 7):  # something to resize, not one flat colour
            image.putpixel((x, x % size[1]), (0, 90, 200) + ((128,) if mode == "RGBA" else ()))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def exif_with_place_and_orientation() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to see it upright
    exif[0x8825] = {1: "N", 2: (38.0, 42.0, 0.0)}  # GPS latitude
    return exif


@pytest.fixture
def limits(app: Flask, tmp_path: Path):
    saved = {key: app.config[key] for key in ("UPLOAD_DIR", "LOGO_MAX_BYTES", "LOGO_MAX_PIXELS")}
    app.config["UPLOAD_DIR"] = str(tmp_path)
    yield LogoLimits.of(app.config)
    app.config.update(saved)


@pytest.fixture
def hubs(session: Session) -> dict[str, Organisation]:
    answer = ServiceRecord("funding", "Voucher schemes", "How we run vouchers with industry.")
    found = {
        "own": make_hub(session, "yeast-house"),
        "other": make_hub(session, "clay-room", services=(answer,)),
    }
    person(session, "m@x.org", hub=found["own"], password_hash=PASSWORD_HASH)
    person(session, "o@x.org", hub=found["other"], password_hash=PASSWORD_HASH)
    person(session, "c@x.org", Role.COORDINATOR, password_hash=PASSWORD_HASH)
    person(session, "a@x.org", Role.ADMIN, password_hash=PASSWORD_HASH)
    session.commit()
    return found


def manager_of(session: Session, hub: Organisation) -> User:
    manager = session.scalar(select(User).where(User.hub_id == hub.id))
    assert manager is not None
    return manager


def stored(limits: LogoLimits, key: str, size: int) -> Image.Image:
    with Image.open(logo_file(limits.folder, key, size)) as image:
        image.load()
        return image


def test_a_png_is_resized_to_512_and_96_keeping_its_transparency(session, hubs, limits):
    hub = hubs["own"]
    key = save_logo(
        session,
        manager_of(session, hub),
        hub,
        picture("PNG", (1200, 800), "RGBA"),
        limits,
    )
    session.expire_all()
    assert session.get(Organisation, hub.id).logo_key == key
    large, small = stored(limits, key, 512), stored(limits, key, 96)
    assert (large.format, large.size, large.mode) == ("WEBP", (512, 341), "RGBA")
    assert small.size == (96, 64)


def test_a_jpeg_is_turned_upright_and_loses_its_camera_and_place(session, hubs, limits):
    hub = hubs["own"]
    data = picture("JPEG", (2000, 1000), exif=exif_with_place_and_orientation())
    assert Image.open(io.BytesIO(data)).getexif()[0x010F] == "PhoneMaker"
    key = save_logo(session, manager_of(session, hub), hub, data, limits)
    large = stored(limits, key, 512)
    assert large.size == (256, 512)  # was lying on its side
    assert not large.getexif() and "exif" not in large.info and "icc_profile" not in large.info
    assert b"PhoneMaker" not in logo_file(limits.folder, key, 512).read_bytes()


def test_a_small_picture_is_never_enlarged(session, hubs, limits):
    hub = hubs["own"]
    key = save_logo(session, manager_of(session, hub), hub, picture("WEBP", (64, 40)), limits)
    assert stored(limits, key, 512).size == (64, 40)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"name,country\nYeast House,PT\n", "is not a PNG, JPEG or WebP picture"),
        (picture("GIF", (50, 50), "P"), "is not a PNG, JPEG or WebP picture"),
        (picture("BMP", (50, 50)), "is not a PNG, JPEG or WebP picture"),
        (picture("PNG", (300, 300))[:200], "damaged or cut short"),
        (b"", "the file is empty"),
    ],
    ids=["text", "gif", "bmp", "truncated", "empty"],
)
def test_what_is_not_a_usable_picture_is_refused_and_nothing_stored(
    session, hubs, limits, data, reason
):
    hub = hubs["own"]
    with pytest.raises(InputError) as refused:
        save_logo(session, manager_of(session, hub), hub, data, limits)
    assert reason in refused.value.problems["logo"]
    session.expire_all()
    assert session.get(Organisation, hub.id).logo_key is None
    assert not limits.folder.exists() or not any(limits.folder.iterdir())


def test_files_and_pictures_over_the_limits_are_refused(app, session, hubs, limits):
    hub, manager = hubs["own"], manager_of(session, hubs["own"])
    app.config["LOGO_MAX_BYTES"] = 20_000
    noisy = Image.effect_noise((400, 400), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG")
    with pytest.raises(InputError) as refused:
        save_logo(session, manager, hub, out.getvalue(), LogoLimits.of(app.config))
    assert refused.value.problems["logo"] == "the file is larger than 20 KB"
    app.config["LOGO_MAX_BYTES"] = 5 * 1024 * 1024
    app.config["LOGO_MAX_PIXELS"] = 1_000_000
    # A bomb in miniature: a few kilobytes that unpack into 8 million pixels.
    bomb = picture("PNG", (4000, 2000), "1")
    assert len(bomb) < 20_000
    with pytest.raises(InputError) as refused:
        save_logo(session, manager, hub, bomb, LogoLimits.of(app.config))
    assert refused.value.problems["logo"] == (
        "the picture is 4000 × 2000 pixels: at most 1 million pixels are accepted"
    )


def test_only_the_hubs_editors_change_it_and_removing_deletes_the_files(session, hubs, limits):
    own, other = hubs["own"], hubs["other"]
    with pytest.raises(Forbidden):
        save_logo(session, manager_of(session, other), own, picture("PNG", (80, 80)), limits)
    key = save_logo(session, manager_of(session, own), own, picture("PNG", (80, 80)), limits)
    newer = save_logo(session, manager_of(session, own), own, picture("PNG", (90, 90)), limits)
    assert not logo_file(limits.folder, key, 96).exists()  # the old picture is gone
    with pytest.raises(Forbidden):
        remove_logo(session, manager_of(session, other), own, limits)
    remove_logo(session, manager_of(session, own), own, limits)
    assert own.logo_key is None
    assert not logo_file(limits.folder, newer, 512).exists()


def upload(client, slug: str, data: bytes, name: str):
    token = csrf_token(client, "/account")
    return client.post(
        f"/hubs/{slug}/logo",
        data={"csrf_token": token, "logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_manager_uploads_from_the_profile_form_and_everyone_sees_it(
    client, session, hubs, limits
):
    sign_in(client, "m@x.org", PASSWORD)
    assert 'action="/hubs/yeast-house/logo"' in client.get("/hubs/yeast-house/edit").get_data(
        as_text=True
    )
    response = upload(client, "yeast-house", picture("JPEG", (900, 600)), "photo.jpg")
    assert response.status_code == 302
    session.expire_all()
    key = session.get(Organisation, hubs["own"].id).logo_key
    assert key
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    page = client.get("/hubs/yeast-house").get_data(as_text=True)
    assert f'src="/hubs/yeast-house/logo/{key}-512.webp" alt="Logo of Yeast House"' in page
    directory = client.get("/").get_data(as_text=True)
    assert f'src="/hubs/yeast-house/logo/{key}-96.webp" alt="Logo of Yeast House"' in directory
    with client.get(f"/hubs/yeast-house/logo/{key}-96.webp") as served:
        assert served.status_code == 200 and served.mimetype == "image/webp"
        assert "immutable" in served.headers["Cache-Control"]
        assert "max-age=31536000" in served.headers["Cache-Control"]
        assert Image.open(io.BytesIO(served.data)).size == (96, 64)
    assert client.get(f"/hubs/yeast-house/logo/{key}-300.webp").status_code == 404
    assert client.get("/hubs/yeast-house/logo/0123abcd-96.webp").status_code == 404
    assert client.get(f"/hubs/clay-room/logo/{key}-96.webp").status_code == 404


def test_a_text_file_named_png_is_refused_on_the_form(client, session, hubs, limits):
    sign_in(client, "m@x.org", PASSWORD)
    response = upload(client, "yeast-house", b"just some words\n", "logo.png")
    assert response.status_code == 400
    assert "is not a PNG, JPEG or WebP picture" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Organisation, hubs["own"].id).logo_key is None


def test_a_file_over_the_request_limit_is_refused_with_the_limit(
    app, client, session, hubs, limits
):
    sign_in(client, "m@x.org", PASSWORD)
    app.config["LOGO_MAX_BYTES"] = 50 * 1024
    response = upload(client, "yeast-house", b"\x89PNG" + b"0" * 200_000, "big.png")
    assert response.status_code == 413
    assert "The picture is larger than 50 KB" in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["o@x.org", "c@x.org"])
def test_another_manager_or_a_coordinator_is_refused(client, session, hubs, limits, email):
    sign_in(client, email, PASSWORD)
    assert upload(client, "yeast-house", picture("PNG", (80, 80)), "x.png").status_code == 403
    token = csrf_token(client, "/account")
    assert (
        client.post("/hubs/yeast-house/logo/delete", data={"csrf_token": token}).status_code == 403
    )
    session.expire_all()
    assert session.get(Organisation, hubs["own"].id).logo_key is None


def test_uploading_needs_the_csrf_token(client, session, hubs, limits):
    sign_in(client, "m@x.org", PASSWORD)
    response = client.post(
        "/hubs/yeast-house/logo",
        data={"logo": (io.BytesIO(picture("PNG", (80, 80))), "x.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Organisation, hubs["own"].id).logo_key is None


def test_removing_from_the_form(client, session, hubs, limits):
    sign_in(client, "m@x.org", PASSWORD)
    upload(client, "yeast-house", picture("PNG", (80, 80)), "x.png")
    token = csrf_token(client, "/hubs/yeast-house/edit")
    assert "Remove the picture" in client.get("/hubs/yeast-house/edit").get_data(as_text=True)
    response = client.post("/hubs/yeast-house/logo/delete", data={"csrf_token": token})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Organisation, hubs["own"].id).logo_key is None
    assert "/logo/" not in client.get("/hubs/yeast-house").get_data(as_text=True)


def test_suggestions_show_each_hubs_thumbnail(client, session, hubs, limits, fresh_index_cache):
    other = hubs["other"]
    key = save_logo(session, manager_of(session, other), other, picture("PNG", (80, 80)), limits)
    sign_in(client, "m@x.org", PASSWORD)
    page = client.get("/hubs/yeast-house/matches?kind=shadowing").get_data(as_text=True)
    assert f'src="/hubs/clay-room/logo/{key}-96.webp" alt="Logo of Clay Room"' in page


def bearer(session: Session, email: str) -> dict[str, str]:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return {"Authorization": f"Bearer {create_token(session, user, 'tests')[1]}"}


def test_the_api_uploads_and_removes_it_as_its_document_says(client, session, hubs, limits):
    own = bearer(session, "m@x.org")
    answer = client.put(
        "/api/v1/hubs/yeast-house/logo",
        data=picture("PNG", (700, 700)),
        headers={**own, "Content-Type": "image/png"},
    )
    assert answer.status_code == 200, answer.json
    valid("Hub", answer.json)
    key = session.get(Organisation, hubs["own"].id).logo_key
    assert answer.json["logo"] == {
        "url": f"http://localhost/hubs/yeast-house/logo/{key}-512.webp",
        "thumbnail_url": f"http://localhost/hubs/yeast-house/logo/{key}-96.webp",
    }
    refused = client.put(
        "/api/v1/hubs/yeast-house/logo",
        data=b"GIF89a not really",
        headers={**own, "Content-Type": "image/png"},
    )
    assert refused.status_code == 400
    assert refused.json["fields"] == {"logo": "is not a PNG, JPEG or WebP picture"}
    other = bearer(session, "o@x.org")
    assert client.delete("/api/v1/hubs/yeast-house/logo", headers=other).status_code == 403
    assert client.delete("/api/v1/hubs/yeast-house/logo", headers=own).status_code == 204
    assert client.get("/api/v1/hubs/yeast-house", headers=own).json["logo"] is None


def test_the_api_confirms_a_profile(client, session, hubs, limits):
    answer = client.post("/api/v1/hubs/yeast-house/confirm", headers=bearer(session, "m@x.org"))
    assert answer.status_code == 200
    valid("Hub", answer.json)
    assert answer.json["profile_confirmed_at"].startswith(str(date.today().year))
    refused = client.post("/api/v1/hubs/yeast-house/confirm", headers=bearer(session, "o@x.org"))
    assert refused.status_code == 403
