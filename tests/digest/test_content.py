"""What the monthly digest says and how it looks, as received by a real SMTP server on
loopback: a manager's matches, what waits, what expires soon, what is coming up and how
the network moved; a coordinator's approvals and rounds; both parts and the headers;
one-click unsubscribe; the preview. Sending itself is in test_digest_sending.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from matchmaker.digest.content import DigestContent, NetworkMoves, gather
from matchmaker.digest.message import person_token
from matchmaker.digest.preferences import choose_digest, holder_of
from matchmaker.digest.preview import digest_preview
from matchmaker.digest.sending import send_digests
from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.exchanges.outcomes import complete
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.models import ExchangeState, Organisation, SuggestionImpression, User
from matchmaker.rounds.approvals import approve
from matchmaker.rounds.funding import residency_cost
from matchmaker.rounds.opening import open_round
from tests.support.digest_fixtures import PERIOD, recipients_of
from tests.support.exchange_fixtures import MESSAGE, NOW, RULES, START

pytestmark = pytest.mark.usefixtures("fresh_index_cache")


def parts(mailbox, to: str) -> tuple[str, str]:
    """(text, html) of the one message `to` received."""
    (message,) = [m for m in mailbox.messages if m["To"] == to]
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def days(first: int, last: int) -> dict[str, str]:
    return {
        "starts_on": (START + timedelta(days=first)).isoformat(),
        "ends_on": (START + timedelta(days=last)).isoformat(),
    }


def test_managers_get_their_new_matches_with_a_reason_and_a_link(
    app, session, demo_people, mailbox
):
    summary = send_digests(session, app.config, PERIOD)
    assert summary.ok and summary.sent == 3
    assert recipients_of(mailbox) == [
        "manager1@example.org",
        "manager2@example.org",
        "manager3@example.org",
    ]
    assert summary.skipped == {"nothing new to tell": 2}  # coordinator and admin: nothing waits
    message = next(m for m in mailbox.messages if m["To"] == "manager1@example.org")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    hub = demo_people["manager1"].hub
    assert f"For {hub.name}" in text and "NEW MATCHES FOR YOUR HUB" in text
    assert " meets your need “" in text or "You both work in" in text
    assert f"{app.config['BASE_URL']}/hubs/" in text
    assert "New matches for your hub" in html and 'style="' in html
    assert message["Subject"] == f"matchmaker, November 2026: 3 new matches for {hub.name}"


def test_headers_and_both_parts(app, session, demo_people, mailbox):
    send_digests(session, app.config, PERIOD)
    message = mailbox.messages[0]
    assert message["From"] == app.config["MAIL_FROM"] and message["Date"]
    user = session.scalar(select(User).where(User.email == message["To"]))
    assert message["Message-ID"] == f"<digest-{PERIOD}-{user.id}@matchmaker>"
    token = person_token(app.config, user.id)
    assert (
        message["List-Unsubscribe"].strip()
        == f"<{app.config['BASE_URL']}/digest/unsubscribe/{token}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert f"/digest/preferences/{token}" in message.get_body(("plain",)).get_content()


def test_one_click_unsubscribe_needs_a_valid_signature(app, client, session, demo_people):
    user = demo_people["manager1"]
    token = person_token(app.config, user.id)
    assert (
        client.post(
            f"/digest/unsubscribe/{token[:-2]}xx", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
    page = client.get(f"/digest/unsubscribe/{token}")
    assert page.status_code == 200
    session.refresh(user)
    assert user.digest == "monthly"  # a GET (a link checker) changes nothing
    response = client.post(f"/digest/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    session.refresh(user)
    assert user.digest == "off"


def test_preferences_switch_it_back_on(app, client, session, demo_people):
    from tests.support.web import csrf_token

    user = demo_people["manager1"]
    user.digest = "off"
    session.commit()
    path = f"/digest/preferences/{person_token(app.config, user.id)}"
    bad = client.post(path, data={"digest": "weekly", "csrf_token": csrf_token(client, path)})
    assert bad.status_code == 400
    client.post(path, data={"digest": "monthly", "csrf_token": csrf_token(client, path)})
    session.refresh(user)
    assert user.digest == "monthly"


def test_the_preview_shows_ones_own_and_coordinators_see_anyones(app, client, session, demo_people):
    manager, other = demo_people["manager1"], demo_people["manager2"]
    with client.session_transaction() as cookie:
        cookie["_user_id"] = manager.get_id()
    page = client.get("/digest/preview").get_data(as_text=True)
    assert "This month's digest for" in page and "NEW MATCHES FOR YOUR HUB" in page
    email = client.get(f"/digest/preview/email.html?user={manager.id}")
    assert "style-src 'unsafe-inline'" in email.headers["Content-Security-Policy"]
    assert client.get(f"/digest/preview?user={other.id}").status_code == 403
    with client.session_transaction() as cookie:
        cookie["_user_id"] = demo_people["coordinator"].get_id()
    assert client.get(f"/digest/preview?user={other.id}").status_code == 200
    assert (
        session.scalars(select(SuggestionImpression)).all() == []
    )  # a preview shows nothing as "seen"


def test_a_manager_reads_what_waits_what_expires_what_comes_and_how_the_network_moved(
    app, session, people, mailbox
):
    north, south = people["north"], people["south"]
    for user in people.values():
        user.last_login_at = NOW
    people["east"].hub.created_at = datetime(2027, 2, 3, tzinfo=UTC)  # new this month
    coming = propose(
        session,
        north,
        south.hub,
        {"kind": "hot_desking", "message": MESSAGE, **days(30, 34)},
        RULES,
        NOW,
    )
    answer(session, south, coming, accept=True, now=NOW)
    done = propose(
        session,
        north,
        south.hub,
        {"kind": "hot_desking", "message": MESSAGE, **days(0, 4)},
        RULES,
        NOW,
    )
    answer(session, south, done, accept=True, now=NOW)
    complete(session, north, done, now=datetime(2027, 2, 6, 12, tzinfo=UTC))
    waiting = propose(
        session,
        north,
        south.hub,
        {"kind": "shadowing", "message": MESSAGE, **days(20, 22)},
        RULES,
        datetime(2027, 2, 5, 9, tzinfo=UTC),
    )
    assert coming.state is ExchangeState.SCHEDULED and waiting.state is ExchangeState.PROPOSED

    summary = send_digests(session, app.config, "2027-02", now=datetime(2027, 2, 14, tzinfo=UTC))

    assert summary.ok
    base = app.config["BASE_URL"]
    text, html = parts(mailbox, "south@x.org")
    answer_line = f"North Hub proposes a shadowing visit, answer by February 19: {base}/exchanges/{waiting.id}"
    expiring = (
        "The shadowing visit North Hub proposes expires on February 19: answer it before then"
    )
    feedback = f"Your hot-desking swap with North Hub: {base}/exchanges/{done.id}#feedback"
    upcoming = "Hot-desking swap with North Hub, March 3 to March 7"
    network = "1 new hub, 1 exchange completed."
    for line in (
        "WAITING FOR YOUR ANSWER",
        answer_line,
        "EXPIRING SOON",
        expiring,
        "FEEDBACK DUE",
        feedback,
        "COMING UP",
        upcoming,
        "THE NETWORK THIS MONTH",
        network,
    ):
        assert line in text, line
    for line in (
        "Waiting for your answer",
        "Expiring soon",
        expiring,
        "Feedback due",
        f"{base}/exchanges/{done.id}#feedback",
        "Coming up",
        upcoming,
        "The network this month",
        network,
    ):
        assert line in html, line
    assert f">> Answer 1 proposal: {base}/exchanges" in text  # the one call to action
    text, html = parts(mailbox, "north@x.org")  # the proposer: its own proposal expires soon
    outgoing = (
        "Your shadowing visit proposal to South Hub expires on February 19 without an answer yet"
    )
    assert "WAITING FOR YOUR ANSWER" not in text
    for line in (
        "EXPIRING SOON",
        outgoing,
        "FEEDBACK DUE",
        upcoming.replace("North", "South"),
        network,
    ):
        assert line in text, line
    for line in ("Expiring soon", outgoing, "Feedback due", "Coming up", network):
        assert line in html, line
    assert ">> See your proposals before they expire" in text


def test_a_coordinator_reads_the_approvals_waiting_and_the_rounds_budget(
    app, session, people, mailbox
):
    north, south, coordinator = people["north"], people["south"], people["coordinator"]
    round_ = open_round(
        session,
        coordinator,
        {
            "name": "Spring residencies",
            "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=90)).isoformat(),
            "budget": "1000",
            "cost_per_residency": "50",
            "cost_per_week": "100",
        },
    )
    approved = propose(
        session,
        north,
        south.hub,
        {"kind": "residency", "message": MESSAGE, **days(0, 13)},
        RULES,
        NOW,
    )
    answer(session, south, approved, accept=True, now=NOW)
    approve(session, coordinator, approved, now=NOW)
    waiting = propose(
        session,
        south,
        north.hub,
        {"kind": "residency", "message": MESSAGE, **days(20, 33)},
        RULES,
        NOW,
    )
    answer(session, north, waiting, accept=True, now=NOW)
    cost = residency_cost(round_, START, START + timedelta(days=13))

    send_digests(session, app.config, "2027-01", now=NOW)

    base = app.config["BASE_URL"]
    message = next(m for m in mailbox.messages if m["To"] == "c@x.org")
    assert message["Subject"] == "matchmaker, January 2027: 1 waiting for your approval"
    text, html = parts(mailbox, "c@x.org")
    residency = "Residency of South Hub at North Hub, February 21 to March 6"
    budget = f"Spring residencies: €{cost} of €1,000.00 used"
    for line in (
        "WAITING FOR YOUR APPROVAL",
        f"- {residency}: {base}/exchanges/{waiting.id}",
        "RESIDENCY ROUNDS",
        f"- {budget}",
        f">> Review 1 residency: {base}/coordination/",
    ):
        assert line in text, line
    for line in (
        "Waiting for your approval",
        residency,
        f"{base}/exchanges/{waiting.id}",
        "Residency rounds",
        budget,
        "Review 1 residency",
    ):
        assert line in html, line
    assert "NEW MATCHES" not in text  # a coordinator has no hub of their own


def test_a_hub_already_proposed_to_is_not_a_new_match(app, session, demo_people, mailbox):
    manager = demo_people["manager1"]
    (before,) = gather(session, [manager], PERIOD)
    first = before.matches[0]
    candidate = session.get(Organisation, first.hub_id)
    propose(session, manager, candidate, {"kind": "project_partners", "message": MESSAGE}, RULES)

    send_digests(session, app.config, PERIOD)

    text, _html = parts(mailbox, manager.email)
    news = text.split("NEW MATCHES FOR YOUR HUB")[1].split("THE NETWORK THIS MONTH")[0]
    assert first.name not in news and f"/hubs/{first.slug}\n" not in news
    assert all(m.name in news for m in before.matches[1:])  # the others stay, one more joins
    assert news.count("\n- ") == len(before.matches)


def test_who_may_preview_whose_digest(app, session, demo_people):
    """One's own digest, or anyone's for a coordinator or an admin; another manager's is
    refused, nobody signed in is asked to sign in, and an unknown person is not found."""
    manager, other = demo_people["manager1"], demo_people["manager2"]

    def preview(user, wanted):
        return digest_preview(session, user, wanted, PERIOD, app.config)

    own = preview(manager, None)
    assert own.person is manager and own.content.user is manager
    assert manager.hub.name in own.subject and f"For {manager.hub.name}" in own.text
    assert "<html" in own.html.lower()
    assert preview(manager, manager.id).person is manager
    assert preview(demo_people["coordinator"], manager.id).person is manager
    assert preview(demo_people["admin"], manager.id).person is manager
    with pytest.raises(Forbidden):
        preview(other, manager.id)
    with pytest.raises(SignInRequired):
        preview(None, manager.id)
    with pytest.raises(NotFound):
        preview(demo_people["coordinator"], 10**9)


def test_a_digest_link_chooses_monthly_or_never_for_its_holder_only(app, session, demo_people):
    manager = demo_people["manager1"]
    holder = holder_of(session, app.config, person_token(app.config, manager.id))
    assert holder is manager
    choose_digest(session, holder, "off")
    assert session.get(User, manager.id).digest == "off"
    with pytest.raises(InputError) as refused:
        choose_digest(session, holder, "weekly")
    assert refused.value.problems == {"digest": "Choose monthly or never."}
    assert session.get(User, manager.id).digest == "off"
    with pytest.raises(NotFound):
        holder_of(session, app.config, "not-a-token")


def test_a_manager_whose_profile_is_older_than_six_months_is_asked_to_confirm_it(
    app, session, demo_people, mailbox
):
    hub = demo_people["manager2"].hub
    hub.profile_confirmed_at = datetime(2026, 3, 2, tzinfo=UTC)
    other_hub = demo_people["manager3"].hub
    other_hub.profile_confirmed_at = datetime(2026, 3, 2, tzinfo=UTC)
    demo_people["manager2"].language = "en"
    demo_people["manager3"].language = "fr"  # each reads the ask in their own language
    session.commit()
    summary = send_digests(session, app.config, PERIOD, now=datetime(2026, 11, 5, 8, tzinfo=UTC))
    assert summary.ok
    text, html = parts(mailbox, "manager2@example.org")
    assert "IS YOUR PROFILE STILL RIGHT?" in text
    assert f"The profile of {hub.name} was last confirmed on March 2, 2026" in text
    assert f"{app.config['BASE_URL']}/hubs/{hub.slug}" in text
    assert "Is your profile still right?" in html
    french, _ = parts(mailbox, "manager3@example.org")
    assert "VOTRE PROFIL EST-IL TOUJOURS EXACT ?" in french
    assert (
        f"Le profil de {other_hub.name} a été confirmé pour la dernière fois le 2 mars 2026"
        in french
    )
    other_text, _ = parts(mailbox, "manager1@example.org")
    assert "IS YOUR PROFILE STILL RIGHT?" not in other_text


def test_a_stale_profile_alone_makes_a_digest_whose_action_is_to_check_it(session, demo_people):
    manager = demo_people["manager1"]
    content = DigestContent(
        user=manager,
        period=PERIOD,
        network=NetworkMoves(0, 0),
        stale_profile="Its profile was last confirmed on 2 March 2026",
    )
    assert not content.is_empty
    assert content.call_to_action() == ("Check your hub's profile", f"/hubs/{manager.hub.slug}")
