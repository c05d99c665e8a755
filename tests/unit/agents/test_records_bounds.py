"""Issue 14: inputs bounded at the record boundary, times in UTC and plausible, country codes
checked, ids non-empty, and a text that is left out is an error."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from agents.records import (MAX_DEPTH, MAX_LINE_BYTES, MAX_TEXT_CHARS, Account, LegalRequest, LineError, Post,
                            RecordError, Report, epoch, load_line, utc_time)

T0 = "2026-11-20T12:00:00Z"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc).timestamp()


def post(**fields) -> dict:
    return {"post_id": "p1", "author_id": "a1", "text": "hello", "created_at": T0, **fields}


def problem(fn, *args, **kwargs) -> RecordError:
    with pytest.raises(RecordError) as err:
        fn(*args, **kwargs)
    return err.value


@pytest.mark.parametrize("fields, path", [
    ({"text": "x" * (MAX_TEXT_CHARS + 1)}, "post.text"),
    ({"mentions": [str(i) for i in range(101)]}, "post.mentions"),
    ({"media": [{"media_id": str(i), "kind": "image"} for i in range(17)]}, "post.media"),
    ({"text": "bad \ud800 text"}, "post.text"),
    ({"post_id": ""}, "post.post_id"),
    ({"post_id": "   "}, "post.post_id"),
    ({"author_id": "x" * 300}, "post.author_id"),
])
def test_unbounded_or_empty_post_fields_are_errors_naming_the_field(fields, path):
    err = problem(Post.from_dict, post(**fields))
    assert err.path == path


def test_a_missing_text_is_an_error_not_an_empty_post():
    fields = post()
    del fields["text"]
    assert problem(Post.from_dict, fields).path == "post.text"
    assert Post.from_dict(post(text="")).text == ""  # a media-only post says so


@pytest.mark.parametrize("value, says", [
    ("2026-11-20T12:00:00", "no UTC offset"),
    ("2026-11-20", "date without a time"),
    ("0001-01-01T00:00:00Z", "before 2006-03-21"),
    ("2005-12-31T23:59:59Z", "before 2006-03-21"),
    ("9999-12-31T23:59:59Z", "more than a day ahead"),
    ("2026-11-21T12:00:01Z", "more than a day ahead"),
    ("yesterday", "not an RFC 3339 timestamp"),
])
def test_naive_date_only_and_implausible_times_are_rejected_clearly(value, says):
    err = problem(Post.from_dict, post(created_at=value), now=NOW)
    assert err.path == "post.created_at" and says in err.problem


def test_times_are_normalised_to_utc_and_compare_as_numbers():
    assert Post.from_dict(post(created_at="2026-11-20T14:00:00+02:00"), now=NOW).created_at == "2026-11-20T12:00:00.000Z"
    assert Post.from_dict(post(created_at=T0), now=NOW).created_at == T0
    assert Post.from_dict(post(created_at="2026-11-21T11:59:59Z"), now=NOW).created_at  # within a day ahead
    assert epoch("2026-11-20T12:00:00.500Z") > epoch("2026-11-20T12:00:00Z")  # as strings: '.' < 'Z'
    assert utc_time("2026-11-20T07:00:00-05:00", "t") == "2026-11-20T12:00:00.000Z"


def test_reports_and_accounts_check_their_times_too():
    r = {"report_id": "r", "post_id": "p", "policy": "violence", "created_at": "2026-11-20T12:00:00"}
    assert problem(Report.from_dict, r).path == "report.created_at"
    assert problem(Account.from_dict, {"account_id": "a", "observed_at": "2026-11-20"}).path == "account.observed_at"
    assert problem(Account.from_dict, {"account_id": "a", "followers": 10**15}).path == "account.followers"


def test_country_codes_are_iso_alpha2_and_upper_cased():
    assert Post.from_dict(post(country="us")).country == "US"
    for bad in ("XX", "USA", "u", "", "12"):
        err = problem(Post.from_dict, post(country=bad))
        assert err.path == "post.country" and "ISO 3166-1 alpha-2" in err.problem
    req = {"request_id": "l", "post_id": "p", "countries": ["de", "FR"], "authority": "x", "received_at": T0}
    assert LegalRequest.from_dict(req).countries == ("DE", "FR")
    assert problem(LegalRequest.from_dict, {**req, "countries": ["DE", "XX"]}).path == "legal_request.countries[1]"


@pytest.mark.parametrize("raw, says", [
    (b"[" * 5_000 + b"]" * 5_000, "nested deeper"),
    (b'{"post": ' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1), "nested deeper"),
    (b'{"post": "\xff"}', "not UTF-8"),
    (b'{"post": ' + b"1" * 5_000 + b"}", "not readable JSON"),
    (b'{"post": 1', "not valid JSON"),
    (b'"' + b"x" * MAX_LINE_BYTES + b'"', "over the"),
])
def test_lines_are_bounded_before_anything_looks_inside(raw, says):
    with pytest.raises(LineError) as err:
        load_line(raw)
    assert says in err.value.problem and err.value.error_type == "invalid_json"


def test_a_valid_line_loads():
    assert load_line(json.dumps({"post": post()}).encode())["post"]["post_id"] == "p1"
