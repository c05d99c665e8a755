"""Contract parsing: good lines parse, bad ones say which field and why."""

import pytest

from agents.records import Account, Case, Designation, RecordError

POST = {"post_id": "1", "author_id": "2", "text": "hi", "created_at": "2026-11-20T12:00:00Z"}


def test_minimal_case_parses_with_defaults():
    c = Case.from_dict({"post": POST})
    assert c.author is None and c.post.mentions == () and c.post.lang is None


def test_upstream_violations_and_reports_are_merged_onto_the_post():
    c = Case.from_dict({"post": POST, "violations": [{"policy": "violence", "source": "upstream:x", "confidence": 1}],
                        "reports": [{"report_id": "r", "policy": "violence", "reporter_id": None,
                                     "created_at": "2026-11-20T12:00:00Z"}]})
    assert c.post.upstream_violations[0].policy == "violence"
    assert c.reports[0].post_id == "1" and c.reports[0].reporter_id is None


@pytest.mark.parametrize("line, path", [
    ({}, "$.post"),
    ({"post": {**POST, "author_id": None}}, "post.author_id"),
    ({"post": {**POST, "created_at": "yesterday"}}, "post.created_at"),
    ({"post": {**POST, "mentions": [1]}}, "post.mentions[0]"),
    ({"post": {**POST, "media": [{"media_id": "m", "kind": "audio"}]}}, "post.media[0].kind"),
    ({"post": POST, "violations": [{"policy": "rudeness"}]}, "post.upstream_violations[0].policy"),
    ({"post": POST, "author": {"account_id": "3"}}, "author.account_id"),
    ({"post": POST, "author": {"account_id": "2", "followers": "many"}}, "author.followers"),
    ({"post": POST, "author": {"account_id": "2", "verified": 1}}, "author.verified"),
    ({"post": POST, "reports": [{"report_id": "r", "policy": "spam", "created_at": "2026-11-20T12:00:00Z"}]},
     "reports[0].policy"),
])
def test_bad_fields_are_named(line, path):
    with pytest.raises(RecordError) as err:
        Case.from_dict(line)
    assert err.value.path == path


def test_unknown_follower_count_stays_unknown():
    assert Account.from_dict({"account_id": "1"}).followers is None


def test_designation_terms():
    d = Designation("1", "candidate", "City Council", "local", "XR-1", "test", valid_from="2026-01-01",
                    valid_until="2026-11-03")
    assert d.current_at("2026-06-01T00:00:00Z") and d.current_at("2026-11-03T23:00:00Z")
    assert not d.current_at("2026-11-04T00:00:00Z") and not d.current_at("2025-12-31")
