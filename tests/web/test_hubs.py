"""The directory, hub pages and a manager's forms: what is shown, what is stored, and that
bad input is refused next to its field with nothing changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.errors import Forbidden, NotFound, SignInRequired
from matchmaker.hubs.profiles import HubActions, hub_actions, hub_to_edit
from matchmaker.models import AvailabilityWindow, Need, Organisation, Service, User
from tests.support.english_demo import seed_demo_in_english
from tests.support.web import post_form, sign_in

TODAY = date.today()


@pytest.fixture
def hub(session: Session) -> Organisation:
    """The demo network; returns the hub of manager1@example.org."""
    seed_demo_in_english(session, hubs=16, seed=7, today=TODAY)
    user = session.scalar(select(User).where(User.email == "manager1@example.org"))
    assert user is not None and user.hub is not None
    return user.hub


@pytest.fixture
def manager(client, hub):
    sign_in(client, "manager1@example.org")
    return client


def snapshot(session: Session, hub: Organisation) -> tuple:
    session.expire_all()
    stored = session.get(Organisation, hub.id)
    return (
        {
            c.name: getattr(stored, c.name)
            for c in Organisation.__table__.columns
            if c.name != "updated_at"
        },
        sorted((s.title, s.description) for s in stored.services),
        sorted((n.title, n.priority) for n in stored.needs),
        sorted((w.starts_on, w.places) for w in stored.availability),
        stored.discipline_slugs,
        list(stored.languages),
    )


def test_the_directory_filters_by_words_country_discipline_category_and_hosting(
    client, session, hub
):
    every = client.get("/").get_data(as_text=True)
    assert hub.name in every
    by_country = client.get(f"/?country={hub.country}").get_data(as_text=True)
    others = session.scalars(
        select(Organisation).where(Organisation.country != hub.country, Organisation.kind == "hub")
    ).all()
    assert hub.name in by_country
    assert all(f">{o.name}<" not in by_country for o in others)
    words = client.get(f"/?q={hub.name.split()[0].lower()}").get_data(as_text=True)
    assert hub.name in words
    discipline = hub.disciplines[0].slug
    assert hub.name in client.get(f"/?discipline={discipline}").get_data(as_text=True)
    category = hub.services[0].category.slug
    assert hub.name in client.get(f"/?category={category}").get_data(as_text=True)
    hosts = client.get("/?hosts=residency").get_data(as_text=True)
    without_places = session.scalars(
        select(Organisation).where(Organisation.residency_places == 0, Organisation.kind == "hub")
    ).all()
    assert all(f">{o.name}<" not in hosts for o in without_places)


def test_a_bad_filter_is_explained_not_a_500(client, hub):
    response = client.get("/?hosts=dancing")
    assert response.status_code == 400
    assert "is not one of" in response.get_data(as_text=True)


def test_a_hub_page_shows_profile_services_needs_availability_and_history(client, hub):
    page = client.get(f"/hubs/{hub.slug}").get_data(as_text=True)
    for text in [hub.name, *(s.title for s in hub.services), *(n.title for n in hub.needs)]:
        assert text.replace("'", "&#39;").replace("&", "&amp;") in page or text in page
    assert "Past projects" in page and "Exchanges done" in page
    assert "Edit the profile" not in page  # nobody signed in
    assert client.get("/hubs/no-such-hub").status_code == 404


def test_html_in_user_text_is_escaped(manager, session, hub):
    post_form(
        manager,
        f"/hubs/{hub.slug}/edit",
        {
            "name": hub.name,
            "country": hub.country,
            "description": "<script>alert(1)</script> & friends",
        },
        f"/hubs/{hub.slug}/edit",
    )
    page = manager.get(f"/hubs/{hub.slug}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in page


def test_the_manager_edits_the_profile_and_sees_it(manager, session, hub):
    response = post_form(
        manager,
        f"/hubs/{hub.slug}/edit",
        {
            "name": "Yeast House Renewed",
            "city": "Porto",
            "country": "PT",
            "latitude": "41.15",
            "longitude": "-8.61",
            "website": "https://yeast.example.org",
            "founded_year": "2012",
            "description": "A bakery turned hub.",
            "disciplines": ["design", "crafts"],
            "languages": "pt, en",
            "desks": "7",
            "residency_places": "2",
        },
        f"/hubs/{hub.slug}/edit",
    )
    assert response.status_code == 302
    page = manager.get(f"/hubs/{hub.slug}").get_data(as_text=True)
    assert "Yeast House Renewed" in page and "A bakery turned hub." in page
    session.expire_all()
    stored = session.get(Organisation, hub.id)
    assert (stored.city, stored.country, stored.desks, stored.accepts_visits) == (
        "Porto",
        "PT",
        7,
        False,
    )  # the unticked box
    assert stored.discipline_slugs == ["crafts", "design"]
    assert sorted(stored.languages) == ["en", "pt"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("name", "", "this is required"),
        ("country", "ZZ", "unknown country code"),
        ("latitude", "91", "not between -90 and 90"),
        ("website", "not a url", "is not a web address"),
        ("founded_year", "1700", "not between"),
        ("desks", "-1", "at least 0"),
        ("languages", "xx", "unknown language code"),
        ("disciplines", "ballet", "unknown discipline"),
        ("founded_year", "soon", "is not a whole number"),
    ],
)
def test_bad_profile_input_is_refused_next_to_its_field_and_stores_nothing(
    manager, session, hub, field, value, reason
):
    before = snapshot(session, hub)
    data = {"name": hub.name, "country": hub.country, field: value}
    response = post_form(manager, f"/hubs/{hub.slug}/edit", data, f"/hubs/{hub.slug}/edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page or f'href="#{field}"' in page
    assert reason in page
    assert snapshot(session, hub) == before


def test_services_and_needs_are_added_changed_and_removed(manager, session, hub):
    response = post_form(
        manager,
        f"/hubs/{hub.slug}/services/new",
        {"category": "fablab", "title": "Laser cutter evenings", "description": "Tuesdays"},
        f"/hubs/{hub.slug}/services/new",
    )
    assert response.status_code == 302
    service = session.scalar(select(Service).where(Service.title == "Laser cutter evenings"))
    assert service is not None and service.organisation_id == hub.id
    post_form(
        manager,
        f"/hubs/{hub.slug}/services/{service.id}",
        {"category": "fablab", "title": "Laser cutter nights"},
        f"/hubs/{hub.slug}/services/{service.id}",
    )
    session.expire_all()
    assert session.get(Service, service.id).title == "Laser cutter nights"
    post_form(
        manager,
        f"/hubs/{hub.slug}/needs/new",
        {"category": "funding", "title": "Grant writing", "priority": "high"},
        f"/hubs/{hub.slug}/needs/new",
    )
    need = session.scalar(select(Need).where(Need.title == "Grant writing"))
    assert need is not None and need.priority.value == "high"
    assert "Grant writing" in manager.get(f"/hubs/{hub.slug}").get_data(as_text=True)
    removed = post_form(
        manager, f"/hubs/{hub.slug}/needs/{need.id}/delete", {}, f"/hubs/{hub.slug}"
    )
    assert removed.status_code == 302
    assert session.get(Need, need.id) is None


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"category": "fablab", "title": ""}, "title", "this is required"),
        ({"category": "knitting", "title": "Socks"}, "category", "unknown category"),
        ({"category": "fablab", "title": "a|b"}, "title", "cannot contain"),
        ({"category": "fablab", "title": "x" * 201}, "title", "at most 200"),
    ],
)
def test_a_bad_service_is_refused_next_to_its_field(manager, session, hub, data, field, reason):
    count = session.scalar(select(func.count()).select_from(Service))
    response = post_form(
        manager, f"/hubs/{hub.slug}/services/new", data, f"/hubs/{hub.slug}/services/new"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and reason in page
    assert session.scalar(select(func.count()).select_from(Service)) == count


def test_availability_windows_are_added_checked_and_removed(manager, session, hub):
    start = TODAY + timedelta(days=30)
    url = f"/hubs/{hub.slug}/availability/new"
    bad = post_form(
        manager,
        url,
        {
            "kind": "desks",
            "starts_on": start.isoformat(),
            "ends_on": (start - timedelta(days=1)).isoformat(),
            "places": "2",
        },
        url,
    )
    assert bad.status_code == 400 and "on or after the start date" in bad.get_data(as_text=True)
    no_places = post_form(
        manager,
        url,
        {
            "kind": "desks",
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "places": "0",
        },
        url,
    )
    assert no_places.status_code == 400 and "at least 1" in no_places.get_data(as_text=True)
    hub.residency_places = 0
    session.commit()
    beyond = post_form(
        manager,
        url,
        {
            "kind": "residency",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=20)).isoformat(),
            "places": "1",
        },
        url,
    )
    assert beyond.status_code == 400 and "0 residency places" in beyond.get_data(as_text=True)
    hub.residency_places = 1
    session.commit()
    good = post_form(
        manager,
        url,
        {
            "kind": "residency",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=20)).isoformat(),
            "places": "1",
            "note": "spring",
        },
        url,
    )
    assert good.status_code == 302
    window = session.scalar(
        select(AvailabilityWindow).where(
            AvailabilityWindow.organisation_id == hub.id, AvailabilityWindow.note == "spring"
        )
    )
    assert window is not None and window.places == 1
    post_form(manager, f"/hubs/{hub.slug}/availability/{window.id}/delete", {}, f"/hubs/{hub.slug}")
    assert session.get(AvailabilityWindow, window.id) is None


@pytest.mark.parametrize("kind", ["shadowing", "hot_desking", "residency", "project_partners"])
def test_a_manager_asks_for_each_kind_and_reads_the_reasons(manager, hub, kind):
    page = manager.get(f"/hubs/{hub.slug}/matches?kind={kind}").get_data(as_text=True)
    assert page.count('class="suggestion"') >= 1
    assert 'class="reason reason-' in page
    assert "/hubs/" in page.split('class="suggestions"')[1]  # each links to the hub's page


def test_bad_match_filters_are_refused_with_the_field(manager, hub):
    response = manager.get(f"/hubs/{hub.slug}/matches?kind=residency&starts_on=2027-05-01")
    assert response.status_code == 400
    assert "give both dates" in response.get_data(as_text=True)
    response = manager.get(f"/hubs/{hub.slug}/matches?kind=teleport")
    assert response.status_code == 400 and "is not one of" in response.get_data(as_text=True)


def test_the_network_pages_list_what_they_draw_without_scripts(client, session, hub):
    graph = client.get("/network/graph")
    assert graph.status_code == 200 and hub.name in client.get("/network/graph.json").get_data(
        as_text=True
    )
    assert "cytoscape.min.js" in graph.get_data(as_text=True)
    assert "The ties as a list" in graph.get_data(as_text=True)
    located = session.scalars(
        select(Organisation).where(Organisation.latitude.is_not(None), Organisation.kind == "hub")
    ).all()
    data = client.get("/network/map.json").get_json()
    assert {h["slug"] for h in data["hubs"]} == {o.slug for o in located}
    assert hub.name in client.get("/network/map").get_data(as_text=True)


def test_pages_carry_security_headers_and_serve_vendored_scripts_with_licences(client, hub):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    for path in [
        "vendor/cytoscape/cytoscape.min.js",
        "vendor/cytoscape/LICENSE",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/LICENSE",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
        "vendor/leaflet.markercluster/LICENSE",
        "vendor/topojson-client/LICENSE",
        "vendor/world-atlas/countries-110m.json",
    ]:
        with client.get(f"/static/{path}") as served:
            assert served.status_code == 200, path


def test_a_hubs_forms_open_for_its_manager_or_an_admin_and_its_page_offers_only_that(session, hub):
    users = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    for editor in ("manager1", "admin"):
        assert hub_to_edit(session, users[editor], hub.slug) == hub
    for refused in ("manager2", "coordinator"):
        with pytest.raises(Forbidden):
            hub_to_edit(session, users[refused], hub.slug)
    with pytest.raises(SignInRequired):
        hub_to_edit(session, None, hub.slug)
    with pytest.raises(NotFound):
        hub_to_edit(session, users["admin"], "no-such-hub")
    offered = {
        name: hub_actions(users.get(name), hub)
        for name in ("manager1", "manager2", "coordinator", "admin", "anonymous")
    }
    assert offered == {
        "manager1": HubActions(can_edit=True, can_match=True),
        "manager2": HubActions(can_edit=False, can_match=False),
        "coordinator": HubActions(can_edit=False, can_match=True),
        "admin": HubActions(can_edit=True, can_match=True),
        "anonymous": HubActions(can_edit=False, can_match=False),
    }
