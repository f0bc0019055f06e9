"""The real app under gunicorn with 4 workers, on loopback and on a database of its own
(SQLite, or a throwaway PostgreSQL database on the PostgreSQL leg), hit by the bursts of
conflicting requests that real networks make; then every invariant is checked in the
database and in what a real SMTP server received.

Bounded: about 120 requests, each with a 60 s time-out, and the server is stopped after.
The counts are printed (`pytest -s` shows them; `make test` prints them too).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import func, select

from matchmaker import create_app
from matchmaker.accounts.tokens import create_token
from matchmaker.app import MIGRATIONS_DIR
from matchmaker.exchanges.proposals import ProposalRules, answer, propose
from matchmaker.extensions import db
from matchmaker.models import (
    AvailabilityKind,
    Exchange,
    ExchangeState,
    Notification,
    Organisation,
    OutgoingEmail,
    ResidencyRound,
    Role,
    User,
)
from matchmaker.rounds.funding import spent
from matchmaker.rounds.opening import open_round
from tests.support.browser_server import own_database
from tests.support.builders import hub, person, window
from tests.support.mailbox import Mailbox

pytestmark = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("gunicorn"), reason="gunicorn is not installed"
)

WORKERS = 4
MAX_OPEN = 5
GUESTS = 8
TODAY = date.today()
START = TODAY + timedelta(days=30)
MESSAGE = "We would love to come and learn how you run your open studio and residencies."
BUDGET_RESIDENCIES = 2  # the round pays for two residencies, five wait for approval
S = ExchangeState


@dataclass
class Network:
    tokens: dict[str, str]  # who -> API token
    scheduled_id: int = 0  # a shadowing visit that has taken place
    to_accept_id: int = 0  # a proposal the host answers twelve times at once
    waiting_ids: list[int] = field(default_factory=list)  # residencies for approval
    round_id: int = 0


def build_network(app) -> Network:
    """A host with desks and residency places, eight guest hubs with a manager each, a
    coordinator; one visit that took place, one proposal waiting, five residencies
    waiting for approval against a budget for two."""
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        session = db.session()
        host = hub(session, "host-hub", desks=10, residency_places=10, description="FabLab")
        host.availability.extend(
            [
                window(AvailabilityKind.DESKS, START, 90, 10),
                window(AvailabilityKind.RESIDENCY, START, 90, 10),
            ]
        )
        people = {"host": person(session, "host@x.org", hub=host, name="Hana")}
        for number in range(GUESTS):
            guest = hub(session, f"guest-{number}", desks=2, description="Studios")
            people[f"g{number}"] = person(session, f"g{number}@x.org", hub=guest)
        people["coordinator"] = person(session, "c@x.org", Role.COORDINATOR)
        session.commit()
        network = Network(
            {who: create_token(session, user, "stress")[1] for who, user in people.items()}
        )
        rules = ProposalRules(max_open=50)
        past = datetime.now(UTC) - timedelta(days=30)
        visit = propose(
            session,
            people["g0"],
            host,
            {
                "kind": "shadowing",
                "message": MESSAGE,
                "starts_on": (TODAY - timedelta(days=5)).isoformat(),
                "ends_on": (TODAY - timedelta(days=3)).isoformat(),
            },
            rules,
            now=past,
        )
        answer(session, people["host"], visit, accept=True, now=past)
        network.scheduled_id = visit.id
        network.to_accept_id = propose(
            session, people["g7"], host, shadowing(START + timedelta(days=60)), rules
        ).id
        round_ = open_round(
            session,
            people["coordinator"],
            {
                "name": "Stress round",
                "starts_on": START.isoformat(),
                "ends_on": (START + timedelta(days=90)).isoformat(),
                "budget": str(1000 * BUDGET_RESIDENCIES),
                "cost_per_residency": "1000",
            },
        )
        network.round_id = round_.id
        for number in range(1, 6):
            residency = propose(
                session,
                people[f"g{number}"],
                host,
                {
                    "kind": "residency",
                    "message": MESSAGE,
                    "starts_on": (START + timedelta(days=number)).isoformat(),
                    "ends_on": (START + timedelta(days=number + 20)).isoformat(),
                },
                rules,
            )
            answer(session, people["host"], residency, accept=True)
            network.waiting_ids.append(residency.id)
        db.session.remove()
        return network


def shadowing(starts_on: date) -> dict[str, str]:
    return {
        "kind": "shadowing",
        "message": MESSAGE,
        "starts_on": starts_on.isoformat(),
        "ends_on": (starts_on + timedelta(days=2)).isoformat(),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, smtp_port: int, folder: Path) -> Iterator[str]:
    """The app under gunicorn, its workers forked from one master; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "stress-secret",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "MAX_OPEN_PROPOSALS": str(MAX_OPEN),
        "BASE_URL": f"http://127.0.0.1:{port}",
        # The queue the setup's app enqueued into; each worker runs an embedded consumer.
        "QUEUE_URL": f"sqlite:///{folder / 'instance' / 'queue.sqlite3'}",
        "QUEUE_EMBEDDED_WORKER": "true",
    }
    log = (folder / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "matchmaker:create_app()",
        ],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((folder / "gunicorn.log").read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@dataclass
class Load:
    """Fires requests at once and counts the answers."""

    base: str
    tokens: dict[str, str]
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def call(self, who: str, method: str, path: str, body: object = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.tokens[who]}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        self.statuses[status] += 1
        if status >= 500:
            self.errors.append(f"{method} {path}: {status} {text[:300]}")
        try:
            return status, json.loads(text) if text else {}
        except ValueError:
            return status, {}

    def burst(self, calls: list[tuple[str, str, str, object]]) -> list[int]:
        """Every call at the same moment, one thread each."""
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = [pool.submit(self.call, *call) for call in calls]
            return [future.result()[0] for future in futures]


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session`: this test's app has a database of its own,
    and `db.session` must be the real one, not the shared test connection."""


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[Load, Network, object, Mailbox]]:
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with own_database(tmp_path) as database_url:
            app = create_app(
                {"SECRET_KEY": "stress-secret", "SQLALCHEMY_DATABASE_URI": database_url},
                str(tmp_path / "instance"),
            )
            network = build_network(app)
            try:
                with gunicorn(database_url, smtp.port, tmp_path) as base:
                    yield Load(base, network.tokens), network, app, mailbox
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
    finally:
        smtp.stop()


def wait_for_the_outbox(session, seconds: float = 90) -> int:
    """Wait until every outbox email is sent (or `seconds` pass); returns how many are left."""
    deadline = time.monotonic() + seconds
    while True:
        left = session.scalar(
            select(func.count()).select_from(OutgoingEmail).where(OutgoingEmail.sent_at.is_(None))
        )
        session.rollback()
        if not left or time.monotonic() > deadline:
            return left or 0
        time.sleep(0.2)


def test_conflicting_bursts_keep_every_invariant_and_never_answer_500(stack, capsys):
    load, network, app, mailbox = stack
    started = time.perf_counter()
    host_slug = "host-hub"

    # Twenty proposals at once from one hub: never more open than the cap.
    proposals = load.burst(
        [
            (
                "g6",
                "POST",
                f"/api/v1/hubs/{host_slug}/proposals",
                shadowing(START + timedelta(3 * n)),
            )
            for n in range(20)
        ]
    )
    # Twelve accepts of one proposal: one is taken, the others are told it is answered.
    accepts = load.burst(
        [("host", "POST", f"/api/v1/exchanges/{network.to_accept_id}/accept", {})] * 12
    )
    # Complete, cancel and no-show of one visit at once, from both sides: one outcome.
    outcomes = load.burst(
        [
            ("g0", "POST", f"/api/v1/exchanges/{network.scheduled_id}/complete", {}),
            ("g0", "POST", f"/api/v1/exchanges/{network.scheduled_id}/cancel", {"reason": "ill"}),
            ("host", "POST", f"/api/v1/exchanges/{network.scheduled_id}/no-show", {}),
            ("host", "POST", f"/api/v1/exchanges/{network.scheduled_id}/cancel", {"reason": "x"}),
        ]
        * 2
    )
    # Five approvals against a budget for two.
    approvals = load.burst(
        [("coordinator", "POST", f"/api/v1/exchanges/{i}/approve", {}) for i in network.waiting_ids]
    )
    # Ten edits of one hub's languages at once: one of them wins whole.
    language_sets = [["en", "pt"], ["de"], ["fr", "it", "es"], ["uk", "pl"], ["el"]] * 2
    edits = load.burst(
        [("host", "PATCH", f"/api/v1/hubs/{host_slug}", {"languages": s}) for s in language_sets]
    )
    # Every manager reads their suggestions at once, three times (reads record impressions).
    reads = load.burst(
        [
            (f"g{n}", "GET", f"/api/v1/hubs/guest-{n}/suggestions?kind=shadowing", None)
            for n in range(GUESTS)
        ]
        * 3
    )
    # Feedback twice at once from each side of the completed visit, if it was completed.
    feedback = {"rating": 4, "took_place": True, "review": "Good days in the FabLab."}
    feedbacks = load.burst(
        [
            (who, "POST", f"/api/v1/exchanges/{network.scheduled_id}/feedback", feedback)
            for who in ("g0", "g0", "host", "host")
        ]
    )
    seconds = time.perf_counter() - started
    # The requests only wrote emails to the outbox; the gunicorn workers' embedded queue
    # consumers (four, claiming the same rows) send them.
    with app.app_context():
        emails_left = wait_for_the_outbox(db.session())

    with app.app_context():
        session = db.session()
        guest6 = session.scalar(select(Organisation).where(Organisation.slug == "guest-6"))
        open_from_g6 = session.scalar(
            select(func.count())
            .select_from(Exchange)
            .join(User, Exchange.proposed_by_id == User.id)
            .where(User.hub_id == guest6.id, Exchange.state == S.PROPOSED)
        )
        accepted = session.get(Exchange, network.to_accept_id)
        visit = session.get(Exchange, network.scheduled_id)
        approved = [session.get(Exchange, i).state for i in network.waiting_ids].count(S.SCHEDULED)
        round_spent = spent(session, session.get(ResidencyRound, network.round_id))
        host = session.scalar(select(Organisation).where(Organisation.slug == host_slug))
        languages = sorted(host.languages)
        topics = Counter(
            n.topic
            for n in session.scalars(
                select(Notification).where(Notification.exchange_id == visit.id)
            )
        )
        written = list(session.scalars(select(OutgoingEmail)))
        sent = Counter((e.recipient, e.subject) for e in written if e.sent_at is not None)
        unsent = sum(1 for e in written if e.sent_at is None)
        db.session.remove()
    received = Counter((m["To"], str(m["Subject"])) for m in mailbox.messages)

    with capsys.disabled():
        print(
            f"\nstress on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: "
            f"{sum(load.statuses.values())} requests in {seconds:.1f} s, "
            f"statuses {dict(sorted(load.statuses.items()))}, "
            f"5xx {sum(c for s, c in load.statuses.items() if s >= 500)}, "
            f"emails {sum(received.values())} for {sum(sent.values())} sent from the outbox "
            f"({len(written)} written, {unsent} unsent), "
            f"proposals {Counter(proposals)}, accepts {Counter(accepts)}, "
            f"outcomes {Counter(outcomes)}, approvals {Counter(approvals)}, "
            f"feedback {Counter(feedbacks)}"
        )
    assert load.errors == []
    assert open_from_g6 == MAX_OPEN and proposals.count(201) == MAX_OPEN
    assert accepts.count(200) == 1 and accepted.state is S.SCHEDULED
    assert visit.state in (S.COMPLETED, S.CANCELLED, S.NO_SHOW) and outcomes.count(200) == 1
    terminal = {"feedback_due", "exchange_cancelled", "exchange_no_show"}
    assert len(terminal & set(topics)) == 1 and sum(topics[t] for t in terminal) <= 2
    assert approved == approvals.count(200) == BUDGET_RESIDENCIES
    assert round_spent <= 1000 * BUDGET_RESIDENCIES
    assert edits.count(200) == len(language_sets)
    assert languages in [sorted(s) for s in language_sets]
    assert reads.count(200) == len(reads)
    assert feedbacks.count(201) + feedbacks.count(200) == (2 if visit.state is S.COMPLETED else 0)
    # Each email of the outbox sent exactly once, by whichever worker claimed it.
    assert emails_left == unsent == 0 and received == sent
    assert len({m["Message-ID"] for m in mailbox.messages}) == len(mailbox.messages)
