"""The round application's form: each host's rank input beside its name, the host's free
dates and their overlap with the applicant's, dates with their year and amounts with
their currency; two hosts given the same rank are refused with every other problem."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from matchmaker.models import RoundApplication
from tests.support.round_fixtures import MESSAGE, dates_and_hosts
from tests.support.web import csrf_token, sign_in


def test_the_same_rank_twice_is_refused_with_the_other_problems(client, session, demo):
    manager = demo.managers[0]
    start, end, (first, second, *_) = dates_and_hosts(session, demo, manager)
    sign_in(client, manager.email)
    url = f"/rounds/{demo.round.id}/apply"
    token = csrf_token(client, url)
    refused = client.post(
        url,
        data={
            "csrf_token": token,
            f"rank-{first}": "1",
            f"rank-{second}": "1",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "message": "",
        },
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"rank 1 is also given to {second}: give each host its own rank" in page
    assert f"rank 1 is also given to {first}" in page
    assert "this is required" in page  # the message, in the same answer
    assert session.scalar(select(func.count()).select_from(RoundApplication)) == 0
    sent = client.post(
        url,
        data={
            "csrf_token": token,
            f"rank-{first}": "1",
            f"rank-{second}": "2",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "message": MESSAGE,
        },
    )
    assert sent.status_code == 302


def test_hosts_are_listed_with_rank_beside_name_free_dates_years_and_currency(
    client, session, demo
):
    manager = demo.managers[0]
    manager.language = "en"
    session.commit()
    start, end, (first, *_) = dates_and_hosts(session, demo, manager)
    sign_in(client, manager.email)
    url = f"/rounds/{demo.round.id}/apply"
    page = client.get(url).get_data(as_text=True)
    # The rank input and the host's name share one row, the input first.
    row = re.search(
        r'<div class="host-rank">\s*<input id="rank-' + first + r'"(.*?)</details>', page, re.S
    )
    assert row and f'<label for="rank-{first}">' in row.group(1)
    starts = demo.round.starts_on
    assert f"{starts:%b} {starts.day}, {starts.year}" in page  # with its year
    assert f"€{demo.round.budget:,.2f}" in page  # with the round's currency
    assert 'class="month"' in page  # the free-dates calendar of each host
    # With dates given, each host's overlap with them.
    token = csrf_token(client, url)
    answer = client.post(
        url,
        data={
            "csrf_token": token,
            f"rank-{first}": "x",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "message": MESSAGE,
        },
    ).get_data(as_text=True)
    assert "With your dates: <strong>covers them all</strong>" in answer
    assert "is not a whole number" in answer
