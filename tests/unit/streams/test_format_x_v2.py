"""X API v2 stream events onto our records: each field mapping, keep-alives, errors, compliance, malformed lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.infra.codec import Codec
from streams.infra.formats import Mapped, MappingError, map_line
from streams.infra.formats.common import ACCOUNT_FIELDS
from streams.infra.formats.x_v2 import map_event
from streams.commands.ingest import mapped_records

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "x-v2"


def lines(name: str) -> list[bytes]:
    return (FIXTURES / name).read_bytes().splitlines(keepends=True)


FULL, KEEP_ALIVE_CRLF, LONG, WITH_ERRORS, KEEP_ALIVE_BLANK, ERRORS_ONLY = lines("filtered_stream.jsonl")
V11_DELETE, V2_DELETE, SUSPEND, USER_DELETE, UNSUSPEND, PROFILE_BIO, PROFILE_URL, WITHHELD = lines("compliance.jsonl")


def mapped(raw: bytes) -> Mapped:
    return map_line("x-v2", raw)


def post_of(raw: bytes):
    (post,) = mapped(raw).posts
    return post


def accounts_of(raw: bytes) -> dict:
    return {u.account.account_id: u for u in mapped(raw).accounts}


def noted(m: Mapped, path: str) -> str:
    hits = [n for n in m.unmapped if n.startswith(path)]
    assert hits, f"no note for {path} in {m.unmapped}"
    return hits[0]


# --- post fields -------------------------------------------------------------------------

def test_post_id_author_and_text() -> None:
    post = post_of(FULL)
    assert post.post_id == "1790000000000000001"
    assert post.author_id == "2244994945"
    assert post.text.startswith("@BobSample @cara_gov @ghost_user look at this")


def test_created_at_is_rfc3339_utc() -> None:
    assert post_of(FULL).created_at == "2024-05-01T12:00:00.000Z"


def test_lang_kept_and_no_language_codes_are_unknown() -> None:
    assert post_of(FULL).lang == "en"
    assert post_of(LONG).lang is None  # "und": X could not tell


def test_long_post_text_comes_from_note_tweet() -> None:
    text = post_of(LONG).text
    assert text.endswith("the rest of the fictional text that only the note carries.")
    assert "…" not in text


def test_mentions_resolve_by_id_or_includes_users_and_are_deduped() -> None:
    assert post_of(FULL).mentions == ("783214", "1600000000000000003")


def test_unresolvable_mention_is_noted_not_invented() -> None:
    m = mapped(FULL)
    assert "@ghost_user" in noted(m, "data.entities.mentions[2]")
    assert all("ghost" not in x for x in m.posts[0].mentions)


def test_media_kinds_from_includes_media() -> None:
    media = [(x.media_id, x.kind) for x in post_of(FULL).media]
    assert media == [("3_1790000000000000101", "image"), ("7_1790000000000000102", "video"),
                     ("16_1790000000000000103", "gif")]


def test_media_key_missing_from_includes_is_noted() -> None:
    assert "3_1790000000000000999" in noted(mapped(FULL), "data.attachments.media_keys[3]")


def test_country_from_the_geo_place_and_coordinates_not_carried() -> None:
    m = mapped(FULL)
    assert m.posts[0].country == "US"
    assert "coordinates" in noted(m, "data.geo.coordinates")
    assert "-73.99" not in json.dumps(m.posts[0].to_dict())


def test_place_without_includes_is_noted() -> None:
    event = json.loads(FULL)
    del event["includes"]["places"]
    m = map_event(event)
    assert m.posts[0].country is None
    assert "01a9a39529b27f36" in noted(m, "data.geo.place_id")


def test_fields_without_a_post_field_are_noted() -> None:
    m = mapped(FULL)
    assert "quoted post 1780000000000000042" in noted(m, "data.referenced_tweets[0]")
    assert noted(m, "data.possibly_sensitive")
    assert "watchlist" in noted(m, "matching_rules[0]")


# --- accounts from includes.users --------------------------------------------------------

def test_every_included_user_becomes_an_account_update_observed_at_post_time() -> None:
    updates = accounts_of(FULL)
    assert set(updates) == {"2244994945", "783214", "1600000000000000003"}
    assert {u.account.observed_at for u in updates.values()} == {"2024-05-01T12:00:00.000Z"}


def test_user_profile_fields() -> None:
    alice = accounts_of(FULL)["2244994945"].account
    assert (alice.handle, alice.display_name, alice.bio) == ("alice_example", "Alice Example", "Gardener. Opinions my own.")
    assert (alice.followers, alice.verified, alice.verified_type) == (1520, True, "blue")
    assert accounts_of(FULL)["1600000000000000003"].account.verified_type == "government"


def test_labels_are_never_stated_by_x() -> None:
    alice = accounts_of(FULL)["2244994945"]
    assert alice.partial and alice.fields == ACCOUNT_FIELDS - {"labels"}


def test_zero_followers_and_empty_bio_are_facts() -> None:
    bob = accounts_of(FULL)["783214"]
    assert bob.account.followers == 0 and bob.account.bio == ""
    assert {"followers", "bio"} <= bob.fields


def test_followers_unknown_without_public_metrics() -> None:
    other = accounts_of(LONG)["99"]
    assert other.account.followers is None
    assert other.fields == {"handle"}


def test_location_and_account_age_are_noted() -> None:
    m = mapped(FULL)
    assert "free text" in noted(m, "includes.users[0].location")
    assert noted(m, "includes.users[0].created_at")


def test_unknown_verified_type_is_noted_and_unknown() -> None:
    event = json.loads(FULL)
    event["includes"]["users"][0]["verified_type"] = "gold"
    m = map_event(event)
    alice = {u.account.account_id: u for u in m.accounts}["2244994945"]
    assert "verified_type" not in alice.fields and alice.account.verified_type == "none"
    assert "'gold'" in noted(m, "includes.users[0].verified_type")


def test_author_missing_from_includes_is_noted() -> None:
    assert "1600000000000000003" in noted(mapped(LONG), "data.author_id")


# --- keep-alives and errors --------------------------------------------------------------

@pytest.mark.parametrize("raw", [KEEP_ALIVE_CRLF, KEEP_ALIVE_BLANK, b"\r\n", b""], ids=repr)
def test_keep_alives_are_skipped(raw: bytes) -> None:
    m = mapped(raw)
    assert m.skip and m.empty and not m.unmapped


def test_errors_next_to_data_are_counted_and_the_post_mapped() -> None:
    m = mapped(WITH_ERRORS)
    assert m.upstream_errors == 1 and len(m.posts) == 1
    assert "Not Found Error" in noted(m, "errors[0]")


def test_errors_only_event_is_an_upstream_error() -> None:
    with pytest.raises(MappingError) as info:
        mapped(ERRORS_ONLY)
    assert info.value.error_type == "upstream_error"
    assert "operational-disconnect" in info.value.reason and info.value.reason.startswith("x-v2: ")


# --- compliance: deletions, statuses, profile modifications --------------------------------

def test_v11_delete_notice_is_a_post_deletion() -> None:
    (d,) = mapped(V11_DELETE).deletions
    assert (d.post_id, d.author_id, d.deleted_at, d.source, d.reason) == (
        "1790000000000000004", "2244994945", "2024-05-01T12:00:00.123Z", "x-v2", "deleted")


def test_v2_compliance_delete_is_a_post_deletion() -> None:
    (d,) = mapped(V2_DELETE).deletions
    assert (d.post_id, d.author_id, d.deleted_at) == ("1790000000000000005", "783214", "2024-05-01T12:30:00.000Z")


@pytest.mark.parametrize("raw, account_id, active, status", [
    (SUSPEND, "783214", False, "suspended"), (USER_DELETE, "2244994945", False, "deleted"),
    (UNSUSPEND, "783214", True, "active")])
def test_user_compliance_events_are_account_statuses(raw: bytes, account_id: str, active: bool, status: str) -> None:
    (s,) = mapped(raw).statuses
    assert (s.account_id, s.active, s.status, s.source) == (account_id, active, status, "x-v2")


def test_profile_modification_is_a_partial_update() -> None:
    (u,) = mapped(PROFILE_BIO).accounts
    assert u.fields == {"bio"} and u.account.bio == "Former office of Cara."
    assert u.account.observed_at == "2024-05-02T10:00:00.000Z"


def test_profile_modification_of_an_unmapped_field_is_noted() -> None:
    m = mapped(PROFILE_URL)
    assert m.skip and m.empty and "'url'" in noted(m, "data.user_profile_modification.profile_field")


def test_compliance_events_without_a_record_are_unsupported() -> None:
    with pytest.raises(MappingError) as info:
        mapped(WITHHELD)
    assert info.value.error_type == "unsupported_event" and "withheld" in info.value.reason


# --- malformed lines ---------------------------------------------------------------------

MALFORMED = ["invalid_json", "invalid_json", "wrong_type", "wrong_type", "missing_field", "invalid_timestamp",
             "wrong_type", "missing_field", "unsupported_event", "unsupported_event", "missing_field"]


@pytest.mark.parametrize("number, error_type", list(enumerate(MALFORMED, 1)))
def test_malformed_events_raise_mapping_errors_saying_where(number: int, error_type: str) -> None:
    raw = lines("malformed.jsonl")[number - 1]
    with pytest.raises(MappingError) as info:
        mapped(raw)
    assert info.value.error_type == error_type
    assert info.value.reason.startswith("x-v2: ") and len(info.value.reason) > 30


def test_malformed_fixture_has_one_expectation_per_line() -> None:
    assert len(lines("malformed.jsonl")) == len(MALFORMED)


def test_missing_created_at_says_how_to_fix() -> None:
    with pytest.raises(MappingError) as info:
        mapped(lines("malformed.jsonl")[4])
    assert "data.created_at" in info.value.reason and "STREAM_PARAMS" in info.value.reason


# --- the output fits our schemas, and nothing but MappingError escapes -----------------------

def test_every_mapped_record_encodes_with_the_repository_schemas() -> None:
    codec = Codec.from_dir(ROOT / "schemas")
    for raw in lines("filtered_stream.jsonl") + lines("compliance.jsonl"):
        try:
            m = mapped(raw)
        except MappingError:
            continue
        for spec, _, value in mapped_records(m):  # exactly what ingest produces, partial patches included
            codec.encode(spec.schema, value)


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                       max_leaves=12)
KEYS = st.sampled_from(["data", "includes", "errors", "delete", "id", "text", "author_id", "created_at", "entities",
                        "mentions", "users", "media", "attachments", "media_keys", "geo", "user_suspend", "tweet"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSONISH | st.dictionaries(KEYS, JSONISH, max_size=5), max_size=4))
def test_arbitrary_events_map_or_raise_mapping_error(event: dict) -> None:
    try:
        map_event(event)
    except MappingError:
        pass


def leaf_paths(obj: object, prefix: tuple = ()) -> list[tuple]:
    children = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    return [prefix] + [p for k, v in children for p in leaf_paths(v, prefix + (k,))]


def replaced(obj: object, path: tuple, value: object) -> object:
    if not path:
        return value
    copy = dict(obj) if isinstance(obj, dict) else list(obj)  # type: ignore[call-overload]
    copy[path[0]] = replaced(copy[path[0]], path[1:], value)
    return copy


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(leaf_paths(json.loads(FULL))[1:]), JSONISH)
def test_a_real_event_with_any_field_broken_maps_or_raises_mapping_error(path: tuple, value: object) -> None:
    try:
        map_event(replaced(json.loads(FULL), path, value))
    except MappingError:
        pass
