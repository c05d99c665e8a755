"""The review console end to end, in Debian's Chromium driven by Selenium, on the real pipeline.

A senator's violating post goes through a real worker on the real broker into the review
queue. `modstream console` serves the console. An analyst signs in, opens the oldest
public-interest item, sees the evidence and the designation, and records a notice; her own
attempt to approve it, a form without its CSRF token and requests without a session are
refused. A senior signs in and approves it; actions.v1 and notices.v1 on the broker then
hold the three notice actions, the author's statement of reasons and the viewers' notice.
Screenshots of the queue and the item go to the test's output directory (printed; set
MODSTREAM_TEST_SCREENSHOTS to choose it).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from ops.browser import ensure_chromium
from streams.commands import ingest
from streams.infra import reviewers, topics
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed
from streams.infra.review_queue import ReviewItem
from streams.infra.stores import key
from streams.drivers.worker import settings_env

pytestmark = pytest.mark.integration

SENATOR = load_seed(Settings().registry_seed)[1]
T0 = "2026-11-20T12:00:00Z"
TEXT = "Immigrants are vermin, and the Senate must vote no on this amnesty bill"
ROSTER = {"ana": (["analyst"], "ana-browser-pass"), "sam": (["senior"], "sam-browser-pass")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = Path(os.environ.get("MODSTREAM_TEST_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def settings(stack, tmp_path_factory) -> Settings:
    path = tmp_path_factory.mktemp("roster") / "reviewers.json"
    for rid, (roles, password) in ROSTER.items():
        reviewers.add(path, rid, roles, password)
    return replace(stack, review_roster=path, console_port=_free_port())


@pytest.fixture(scope="module")
def worker_settings(settings) -> Settings:
    """The worker's review agent checks every decision against this module's roster."""
    return settings


@pytest.fixture(scope="module")
def escalated(settings, codec, worker, wait_records, services, poll):
    """The senator's post, decided by the real worker, filed in the review queue."""
    import redis

    line = {"post": {"post_id": "sen-b1", "author_id": SENATOR.account_id, "created_at": T0, "country": "US",
                     "text": TEXT},
            "author": {"account_id": SENATOR.account_id, "handle": "senator", "followers": 900_000, "verified": True,
                       "verified_type": "government"}}
    ingest.run(settings, codec, [json.dumps(line).encode()], "browser-test", progress=None)
    (esc,) = wait_records(settings, codec, topics.ESCALATIONS, lambda v: v["post_id"] == "sen-b1", timeout=120)
    r = redis.Redis.from_url(services.redis_url)
    poll(lambda: r.exists(key("review", esc["escalation_id"])), 60, "the escalation in the review queue")
    return esc


@pytest.fixture(scope="module")
def console_url(settings, escalated, services, poll):
    log = open(services.run_dir / f"console-{settings.app_id}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streams.commands.cli", "console"], env=settings_env(settings),
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{settings.console_port}"

    def answers() -> bool:
        assert proc.poll() is None, (services.run_dir / f"console-{settings.app_id}.log").read_text()
        try:
            return urllib.request.urlopen(url + "/login", timeout=2).status == 200
        except OSError:
            return False
    try:
        poll(answers, 90, "modstream console to answer")
        yield url
    finally:
        proc.terminate()
        proc.wait(15)
        log.close()


@pytest.fixture(scope="module")
def browser():
    chromium, chromedriver = ensure_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # The driver's path is given (Service), so Selenium Manager is never run and nothing is downloaded.
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,1000",
                "--disable-gpu", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _submit(driver, button) -> None:
    """Click a form's button and wait for the next page (the old one goes stale)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_driver) -> bool:
        try:
            button.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:  # Chrome mid-navigation: the node's document is already gone
            if "does not belong to the document" in str(exc):
                return True
            raise

    button.click()
    WebDriverWait(driver, 30).until(gone)


def _sign_in(driver, url: str, rid: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url + "/login")
    driver.find_element(By.ID, "reviewer_id").send_keys(rid)
    driver.find_element(By.ID, "password").send_keys(ROSTER[rid][1])
    _submit(driver, driver.find_element(By.ID, "sign-in"))
    assert driver.find_element(By.ID, "signed-in-as").text == rid


def _sign_out(driver) -> None:
    from selenium.webdriver.common.by import By

    _submit(driver, driver.find_element(By.XPATH, "//button[text()='Sign out']"))
    assert driver.current_url.endswith("/login")


def _decide(driver, outcome: str, rationale: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, f"outcome-{outcome}").click()
    driver.find_element(By.ID, "rationale").send_keys(rationale)
    _submit(driver, driver.find_element(By.ID, "decide"))


def test_analyst_recommends_and_a_senior_grants_the_notice_in_the_browser(
        browser, console_url, escalated, settings, codec, wait_records, shots, services, poll):
    import redis

    from selenium.webdriver.common.by import By

    eid = escalated["escalation_id"]
    browser.get(console_url + "/queue")  # no session: the sign-in page instead
    assert "/login" in browser.current_url and browser.find_elements(By.ID, "reviewer_id")

    _sign_in(browser, console_url, "ana")
    browser.get(console_url + "/queue?kind=public_interest")
    browser.save_screenshot(str(shots / "queue.png"))
    oldest = browser.find_elements(By.CSS_SELECTOR, "tr[data-kind=public_interest] a.item-link")[0]
    assert oldest.text == "sen-b1"
    _submit(browser, oldest)
    marks = browser.find_elements(By.CSS_SELECTOR, "#post-text mark")
    assert [m.text for m in marks] == ["Immigrants are vermin"]
    assert SENATOR.person in browser.find_element(By.ID, "designation").text
    assert browser.find_element(By.ID, "provenance").text == SENATOR.source
    assert browser.find_element(By.ID, "recommendation").text == "notice"
    browser.save_screenshot(str(shots / "item.png"))
    _decide(browser, "notice", "part of the debate on the amnesty bill; newsworthy")
    assert "recommended a notice" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    wait_records(settings, codec, topics.AUDIT, lambda v: v["post_id"] == "sen-b1" and v["route"] == "awaiting_senior")
    r = redis.Redis.from_url(services.redis_url)  # the agent marks the item after producing the audit record
    poll(lambda: ReviewItem.from_json(r.get(key("review", eid))).needs_senior, 30, "the recommendation on the item")

    browser.get(f"{console_url}/item/{eid}")  # her own approval is refused on the server
    assert "only a senior" in browser.find_element(By.ID, "blockers").text
    _decide(browser, "notice", "and I approve it myself")
    assert "only a senior" in browser.find_element(By.ID, "refused").text

    browser.get(f"{console_url}/item/{eid}")  # a forged form: the same post without the CSRF token
    browser.execute_script("document.querySelector('#decide-form input[name=csrf]').remove()")
    _decide(browser, "remove", "forged")
    assert "security token" in browser.find_element(By.ID, "refused").text
    _sign_out(browser)

    _sign_in(browser, console_url, "sam")
    browser.get(f"{console_url}/item/{eid}")
    recs = browser.find_element(By.ID, "recommendations").text
    assert "ana recommended notice" in recs and "part of the debate" in recs
    _decide(browser, "notice", "kept up in the public interest, behind a notice")
    assert "decided notice" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    _sign_out(browser)

    actions = wait_records(settings, codec, topics.ACTIONS, lambda v: v["post_id"] == "sen-b1", n=3)
    assert sorted(a["type"] for a in actions) == ["exclude_from_recommendations", "limit_engagement",
                                                   "public_interest_notice"]
    assert all(not a["automated"] for a in actions)
    notices = {n["recipient"]: n for n in wait_records(settings, codec, topics.NOTICES,
                                                       lambda v: v["post_id"] == "sen-b1", n=2)}
    assert notices["author"]["kind"] == "statement_of_reasons"
    assert notices["viewers"]["kind"] == "public_interest_interstitial"
    audit = wait_records(settings, codec, topics.AUDIT, lambda v: v["post_id"] == "sen-b1" and v["route"] == "notice")
    assert audit[0]["decided_by"] == "sam"
    print(f"\nconsole screenshots: {shots}")


def test_requests_without_a_session_are_refused(console_url, escalated):
    eid = escalated["escalation_id"]
    req = urllib.request.Request(f"{console_url}/item/{eid}/decide", method="POST",
                                 data=b"outcome=remove&rationale=x&csrf=x",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(req, timeout=10)
    assert refused.value.code == 403
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(f"{console_url}/item/{eid}", timeout=10)
    assert redirected.value.code == 303 and redirected.value.headers["location"].startswith("/login")
