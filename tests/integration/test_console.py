"""The review console's handlers against the real Redis and broker the session starts.

Starlette's TestClient drives the real app (`streams.console.app.create`): sessions, CSRF
and the queue live in the real Redis, decisions are produced to the real review-decisions
topic and read back from it. The browser test (test_console_browser.py) runs the rest of
the pipeline too.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from agents.policy import Policy
from agents.records import Account, Case, Designation, Post, Report, Violation
from agents.router import decide
from confluent_kafka import KafkaException
from streams.infra import clients, reviewers, stores, topics
from streams.console import app as console
from streams.infra.review_queue import RedisReviewQueue

pytestmark = pytest.mark.integration

T0 = "2026-11-20T12:00:00Z"
SENATOR = Designation("100", "elected_or_appointed_official", "US Senate", "national", "US-VT", "registry:test",
                      valid_from="2025-01-03", valid_until="2031-01-03", person="A Senator")
TEXT = "Immigrants are vermin, and the Senate must vote no on this amnesty bill"
PASSWORDS = {"ana": "ana-password", "sam": "sam-password", "lee": "lee-password"}


def _escalation(post_id: str, at: str = T0) -> dict:
    post = Post(post_id, "100", TEXT, at)
    d = decide(Case(post, Account("100", followers=900_000, verified=True)),
               [Violation("hateful_conduct", 0.85, ('span 0-21 "Immigrants are vermin" (dehumanising_group_rule)',),
                          "rules.hate@1")], {"100": (SENATOR,)}, Policy())
    return {**d.escalation.to_dict(), "post_text": TEXT}


def _redis(settings, fn):
    async def go():
        client = stores.connect(settings.redis_url)
        try:
            return await fn(client)
        finally:
            await client.aclose()
    return asyncio.run(go())


@pytest.fixture(scope="module")
def settings(stack, tmp_path_factory):
    path = tmp_path_factory.mktemp("roster") / "reviewers.json"
    reviewers.add(path, "ana", ["analyst"], PASSWORDS["ana"])
    reviewers.add(path, "sam", ["senior"], PASSWORDS["sam"])
    reviewers.add(path, "lee", ["lead"], PASSWORDS["lee"])
    return replace(stack, review_roster=path)


@pytest.fixture(scope="module")
def ready(settings, codec, poll):
    """The new topics have leaders (a fresh broker takes a moment): reading them works."""
    def readable():
        try:
            return list(clients.records(settings, codec, settings.topic(topics.REVIEWS), idle_timeout=0.2)) is not None
        except KafkaException:
            return False
    poll(readable, 60, "review-decisions.v1 to have a leader")


@pytest.fixture(scope="module")
def item_ids(settings):
    async def seed(client):
        q = RedisReviewQueue(client)
        ids = []
        for pid, hour in (("c-2", 11), ("c-1", 10), ("c-3", 12)):  # filed out of order: listed oldest first
            ids.append((await q.add_escalation(_escalation(pid, f"2026-11-20T{hour}:00:00Z"), post_text=TEXT)).item_id)
        ids = [ids[1], ids[0], ids[2]]
        await stores.RedisReports(client).add([Report("r1", "c-1", "hateful_conduct", T0, reporter_id="reporter-77"),
                                               Report("r2", "c-1", "hateful_conduct", T0)])
        await stores.RedisRegistry(client).put_account(Account("100", handle="senator", followers=900_000,
                                                               verified=True, verified_type="government"))
        return ids
    return _redis(settings, seed)


@pytest.fixture
def client(settings, item_ids, ready):
    with TestClient(console.create(settings), follow_redirects=False) as c:
        yield c


def sign_in(c: TestClient, rid: str, password: str | None = None):
    page = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    return c.post("/login", data={"reviewer_id": rid, "password": password or PASSWORDS[rid], "csrf": token})


def csrf_of(c: TestClient, path: str = "/queue") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text)[1]


def reviews_for(settings, codec, wait_records, item_id, n=1, timeout=20):
    """review-decisions.v1 values for the item, read back from the broker."""
    return wait_records(settings, codec, topics.REVIEWS, lambda v: v["decision_id"] == item_id, n=n, timeout=timeout)


def test_without_a_session_pages_redirect_and_forms_are_refused(client, settings, codec, wait_records, item_ids):
    assert client.get("/queue").status_code == 303 and client.get("/queue").headers["location"].startswith("/login")
    assert client.get(f"/item/{item_ids[2]}").status_code == 303
    res = client.post(f"/item/{item_ids[2]}/decide", data={"outcome": "remove", "rationale": "x", "csrf": "x"})
    assert res.status_code == 403 and "not signed in" in res.text
    assert not reviews_for(settings, codec, wait_records, item_ids[2], timeout=2)


def test_sign_in_sets_a_strict_httponly_session_cookie(client):
    res = sign_in(client, "ana")
    assert res.status_code == 303 and res.headers["location"] == "/queue"
    cookie = [h for h in res.headers.get_list("set-cookie") if h.startswith(console.COOKIE + "=")][0]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    # A random token, not the id: long, url-safe, and new on each sign-in. (A substring check
    # for "ana" fails by chance about once in 6,000 random tokens.)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", token)
    again = [h for h in sign_in(client, "ana").headers.get_list("set-cookie") if h.startswith(console.COOKIE + "=")][0]
    assert again.split(";")[0].split("=", 1)[1] != token


def test_secure_cookies_when_configured(settings, item_ids):
    with TestClient(console.create(replace(settings, console_secure_cookies=True)), follow_redirects=False,
                    base_url="https://testserver") as c:
        res = sign_in(c, "sam")
        cookie = [h for h in res.headers.get_list("set-cookie") if h.startswith(console.COOKIE + "=")][0]
        assert "Secure" in cookie


def test_wrong_password_is_refused_and_repeated_failures_are_throttled(client):
    res = sign_in(client, "lee", "not-lees-password")
    assert res.status_code == 401 and "unknown reviewer or wrong password" in res.text
    assert console.COOKIE not in res.cookies
    for _ in range(5):
        sign_in(client, "nobody", "guess-guess")
    res = sign_in(client, "nobody", "guess-guess")
    assert res.status_code == 429


def test_sign_in_without_the_login_token_is_refused(client):
    res = client.post("/login", data={"reviewer_id": "ana", "password": PASSWORDS["ana"], "csrf": "forged"})
    assert res.status_code == 403 and console.COOKIE not in res.cookies


def test_queue_lists_open_items_oldest_first_with_sla_and_filters(client, item_ids):
    sign_in(client, "ana")
    page = client.get("/queue").text
    assert all(i[:28] in page for i in item_ids) and "OVERDUE" in page  # posts from 2026-11-20: past the 24 h SLA
    assert page.index("c-1") < page.index("c-2")
    assert "c-1" in client.get("/queue?kind=public_interest&policy=hateful_conduct&country=US").text
    assert "No open items match" in client.get("/queue?country=DE").text
    assert "No open items match" in client.get("/queue?kind=appeal").text


def test_item_page_shows_evidence_designation_and_hides_reporters_from_an_analyst(client, item_ids):
    sign_in(client, "ana")
    page = client.get(f"/item/{item_ids[0]}").text
    assert '<mark title="evidence: hateful_conduct" data-policy="hateful_conduct">Immigrants are vermin</mark>' in page
    assert "A Senator" in page and "US Senate" in page and "registry:test" in page and "900,000" in page
    assert "2 reports" in page and "hateful_conduct: 2" in page
    assert "reporter-77" not in page and "seniors and leads only" in page


def test_a_senior_sees_who_reported(client, item_ids):
    sign_in(client, "sam")
    page = client.get(f"/item/{item_ids[0]}").text
    assert "reporter-77" in page and "(no account)" in page


def test_forged_form_without_the_csrf_token_is_refused(client, settings, codec, wait_records, item_ids):
    sign_in(client, "sam")
    for data in ({"outcome": "remove", "rationale": "forged"}, {"outcome": "remove", "rationale": "x", "csrf": "x"}):
        res = client.post(f"/item/{item_ids[1]}/decide", data=data)
        assert res.status_code == 403 and "security token" in res.text
    assert not reviews_for(settings, codec, wait_records, item_ids[1], timeout=2)


def test_rationale_is_mandatory(client, item_ids):
    sign_in(client, "sam")
    res = client.post(f"/item/{item_ids[1]}/decide", data={"outcome": "remove", "rationale": "  ",
                                                            "csrf": csrf_of(client)})
    assert res.status_code == 400 and "rationale" in res.text


def test_analyst_recommends_then_only_another_senior_decides(client, settings, codec, wait_records, item_ids):
    item = item_ids[0]
    sign_in(client, "ana")
    res = client.post(f"/item/{item}/decide", data={"outcome": "notice", "rationale": "part of the debate",
                                                     "csrf": csrf_of(client)})
    assert res.status_code == 303, res.text
    (rec,) = reviews_for(settings, codec, wait_records, item)
    assert (rec["reviewer_id"], rec["senior"], rec["outcome"]) == ("ana", False, "notice")
    assert "recommended a notice" in client.get("/queue").text

    async def applied(c):  # what the review agent does once it applied the recommendation
        from agents.records import ReviewDecision
        return await RedisReviewQueue(c).mark_decided(item, ReviewDecision.from_dict(rec))
    assert _redis(settings, applied).needs_senior

    res = client.post(f"/item/{item}/decide", data={"outcome": "notice", "rationale": "and I approve it",
                                                     "csrf": csrf_of(client)})
    assert res.status_code == 403 and "only a senior" in res.text
    client.post("/logout", data={"csrf": csrf_of(client)})

    sign_in(client, "sam")
    page = client.get(f"/item/{item}").text
    assert "ana</strong> recommended <strong>notice" in page and "part of the debate" in page
    res = client.post(f"/item/{item}/decide", data={"outcome": "notice", "rationale": "kept, behind a notice",
                                                     "csrf": csrf_of(client)})
    assert res.status_code == 303, res.text
    final = reviews_for(settings, codec, wait_records, item, n=2)[-1]
    assert (final["reviewer_id"], final["senior"], final["outcome"]) == ("sam", True, "notice")


def test_claim_and_release(client, item_ids):
    item = item_ids[2]
    sign_in(client, "lee")
    token = csrf_of(client)
    assert client.post(f"/item/{item}/claim", data={"csrf": token}).status_code == 303
    assert "claimed by lee" in client.get("/queue").text
    assert client.post(f"/item/{item}/release", data={"csrf": token}).status_code == 303
    assert "claimed by lee" not in client.get("/queue").text
    assert client.post(f"/item/{item}/delete", data={"csrf": token}).status_code == 404


def test_logout_ends_the_session_on_the_server(client, settings):
    sign_in(client, "lee")
    stolen = client.cookies.get(console.COOKIE)
    assert client.get("/queue").status_code == 200
    client.post("/logout", data={"csrf": csrf_of(client)})
    client.cookies.set(console.COOKIE, stolen)
    assert client.get("/queue").status_code == 303


def test_a_reviewer_taken_off_the_roster_loses_the_session(client, settings, tmp_path):
    sign_in(client, "lee")
    doc = json.loads(settings.review_roster.read_text())
    saved = json.dumps(doc)
    del doc["reviewers"]["lee"]
    settings.review_roster.write_text(json.dumps(doc))
    try:
        assert client.get("/queue").status_code == 303
    finally:
        settings.review_roster.write_text(saved)


def test_overview_shows_depth_today_and_the_chart(client, item_ids):
    sign_in(client, "lee")
    page = client.get("/overview").text
    assert re.search(r'data-kind="public_interest"><td>Public interest</td><td>\d+</td><td>\d+d', page)
    assert '<svg role="img"' in page and page.count("<rect") == 24
    assert "Human decisions today" in page


def test_pages_carry_a_strict_content_security_policy(client):
    sign_in(client, "ana")
    res = client.get("/queue")
    assert "default-src 'self'" in res.headers["content-security-policy"] and res.headers["x-frame-options"] == "DENY"
