"""Bluesky Jetstream events onto our records: each field mapping, deletions, handle changes, account status,
the partial-update merge rule, the resume cursor and malformed events."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.records import Account
from streams.infra.codec import Codec
from streams.infra.formats import Mapped, MappingError, map_line
from streams.infra.formats.common import ACCOUNT_FIELDS, AccountUpdate
from streams.infra.formats.jetstream import cursor_of, map_event
from streams.commands.ingest import mapped_records

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "jetstream"
ALICE, BOB, CARA = "did:plc:alice0example0fictional", "did:plc:bob00example0fictional", "did:plc:cara0example0fictional"
T0 = 1725911162329308


def lines(name: str) -> list[bytes]:
    return (FIXTURES / name).read_bytes().splitlines(keepends=True)


IMAGES_POST, QUOTE_VIDEO, LINK_CARD, UPDATE, DELETE, PROFILE, PROFILE_DELETE, LIKE = lines("commits.jsonl")
HANDLE, NO_HANDLE, INVALID_HANDLE, TAKENDOWN, REACTIVATED, INACTIVE = lines("identity_account.jsonl")


def mapped(raw: bytes) -> Mapped:
    return map_line("jetstream", raw)


def post_of(raw: bytes):
    (post,) = mapped(raw).posts
    return post


def noted(m: Mapped, path: str) -> str:
    hits = [n for n in m.unmapped if n.startswith(path)]
    assert hits, f"no note for {path} in {m.unmapped}"
    return hits[0]


# --- posts -------------------------------------------------------------------------------

def test_post_id_is_the_at_uri_and_author_the_did() -> None:
    post = post_of(IMAGES_POST)
    assert post.post_id == f"at://{ALICE}/app.bsky.feed.post/3l3qo2vuowo2b"
    assert post.author_id == ALICE


def test_text() -> None:
    assert post_of(IMAGES_POST).text == "hi @bob.example and @cara.example, see example.org #garden"


def test_created_at_from_created_at_normalised_to_utc() -> None:
    assert post_of(IMAGES_POST).created_at == "2024-09-09T19:46:02.102Z"
    assert post_of(QUOTE_VIDEO).created_at == "2024-09-09T19:46:03.000Z"  # was +02:00


def test_bad_created_at_falls_back_to_relay_time_and_is_noted() -> None:
    m = mapped(LINK_CARD)
    assert m.posts[0].created_at == "2024-09-09T19:46:02.331Z"  # time_us T0 + 2000
    assert "'not a date'" in noted(m, "record.createdAt")


def test_lang_is_the_first_of_langs_and_the_rest_noted() -> None:
    m = mapped(IMAGES_POST)
    assert m.posts[0].lang == "en"
    assert "['en', 'de']" in noted(m, "record.langs")
    assert post_of(LINK_CARD).lang is None


def test_mention_facets_resolve_to_dids_deduped() -> None:
    assert post_of(IMAGES_POST).mentions == (BOB, CARA)


def test_hidden_link_target_is_noted_and_tags_are_not() -> None:
    m = mapped(IMAGES_POST)
    assert "https://phish.example.net/login" in noted(m, "record.facets[3]")
    assert not [n for n in m.unmapped if n.startswith("record.facets[4]")]


def test_images_map_to_media_by_blob_cid() -> None:
    media = [(x.media_id, x.kind) for x in post_of(IMAGES_POST).media]
    assert media == [("bafkreiimageone0fictional0cid0aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "image"),
                     ("bafkreiimagetwo0fictional0cid0aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "gif")]
    assert "alt text (14 chars)" in noted(mapped(IMAGES_POST), "record.embed.images[0].alt")


def test_record_with_media_maps_the_media_and_notes_the_quote() -> None:
    m = mapped(QUOTE_VIDEO)
    assert [(x.media_id, x.kind) for x in m.posts[0].media] == [
        ("bafkreivideo0fictional0cid0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "video")]
    assert f"at://{ALICE}/app.bsky.feed.post/3l3qo2vuowo2b" in noted(m, "record.embed.record")


def test_link_card_thumbnail_is_an_image_and_the_link_is_noted() -> None:
    m = mapped(LINK_CARD)
    assert [(x.media_id, x.kind) for x in m.posts[0].media] == [
        ("bafkreithumb0fictional0cid0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "image")]
    assert "https://news.example.org/story" in noted(m, "record.embed.external")


def test_legacy_blob_with_a_cid_field() -> None:
    event = json.loads(IMAGES_POST)
    event["commit"]["record"]["embed"]["images"][0]["image"] = {"cid": "bafkreilegacy", "mimeType": "image/png"}
    assert map_event(event).posts[0].media[0].media_id == "bafkreilegacy"


def test_reply_and_self_labels_are_noted() -> None:
    m = mapped(IMAGES_POST)
    assert "3l3qnparent00" in noted(m, "record.reply")
    assert "graphic-media" in noted(m, "record.labels")


def test_update_maps_to_the_same_post_id() -> None:
    post = post_of(UPDATE)
    assert post.post_id == post_of(IMAGES_POST).post_id and post.text == "hi (edited)"


def test_other_collections_are_skipped_with_a_note() -> None:
    m = mapped(LIKE)
    assert m.skip and m.empty and "wantedCollections" in noted(m, "event.commit.collection")


# --- deletions ---------------------------------------------------------------------------

def test_post_delete_is_a_post_deletion() -> None:
    m = mapped(DELETE)
    (d,) = m.deletions
    assert (d.post_id, d.author_id, d.deleted_at, d.source, d.reason) == (
        f"at://{ALICE}/app.bsky.feed.post/3l3qo2vuowo2b", ALICE, "2024-09-09T19:46:02.333Z", "jetstream", "deleted")
    assert not m.posts


# --- profiles, handle changes, account status --------------------------------------------

def test_profile_is_a_partial_update_of_display_name_and_bio() -> None:
    m = mapped(PROFILE)
    (u,) = m.accounts
    assert (u.account.account_id, u.account.display_name, u.account.bio) == (BOB, "Bob Sample", "Bird watcher.")
    assert u.fields == {"display_name", "bio"}
    assert u.account.followers is None  # not in the stream: unknown, never 0
    assert u.account.observed_at == "2024-09-09T19:46:02.334Z"
    assert noted(m, "record.avatar")


def test_deleted_profile_clears_display_name_and_bio() -> None:
    (u,) = mapped(PROFILE_DELETE).accounts
    assert u.fields == {"display_name", "bio"} and (u.account.display_name, u.account.bio) == ("", "")


def test_handle_change_is_a_partial_update_of_the_handle() -> None:
    (u,) = mapped(HANDLE).accounts
    assert (u.account.account_id, u.account.handle, u.fields) == (ALICE, "alice.new.example", {"handle"})
    assert u.partial


def test_identity_without_a_handle_updates_nothing() -> None:
    m = mapped(NO_HANDLE)
    assert m.skip and m.empty and noted(m, "event.identity.handle")


def test_invalid_handle_is_mapped_as_shown_and_noted() -> None:
    m = mapped(INVALID_HANDLE)
    assert m.accounts[0].account.handle == "handle.invalid" and "no longer verifies" in noted(m, "event.identity.handle")


@pytest.mark.parametrize("raw, did, active, status", [
    (TAKENDOWN, ALICE, False, "takendown"), (REACTIVATED, BOB, True, "active"), (INACTIVE, CARA, False, "inactive")])
def test_account_events_are_account_statuses(raw: bytes, did: str, active: bool, status: str) -> None:
    (s,) = mapped(raw).statuses
    assert (s.account_id, s.active, s.status, s.source) == (did, active, status, "jetstream")


# --- the merge rule for partial updates ----------------------------------------------------

STORED = Account("did:plc:x", handle="old.example", display_name="Old Name", bio="old bio", followers=42,
                 verified=True, verified_type="blue", labels=("election_candidate",),
                 observed_at="2024-09-09T19:00:00.000Z")


def test_partial_update_overlays_only_stated_fields() -> None:
    update = AccountUpdate(Account("did:plc:x", handle="new.example", observed_at="2024-09-09T20:00:00.000Z"),
                           frozenset({"handle"}))
    merged = update.merge_into(STORED)
    assert merged == replace(STORED, handle="new.example", observed_at="2024-09-09T20:00:00.000Z")


def test_stale_update_changes_nothing() -> None:
    update = AccountUpdate(Account("did:plc:x", handle="older.example", observed_at="2024-09-09T18:00:00+00:00"),
                           frozenset({"handle"}))
    assert update.merge_into(STORED) is STORED


def test_full_snapshot_replaces_and_first_update_is_taken_as_is() -> None:
    full = AccountUpdate(Account("did:plc:x", handle="h", observed_at="2024-09-10T00:00:00.000Z"), ACCOUNT_FIELDS)
    assert not full.partial and full.merge_into(STORED) == full.account
    partial = AccountUpdate(Account("did:plc:x", handle="h"), frozenset({"handle"}))
    assert partial.merge_into(None) == partial.account and partial.merge_into(None).followers is None


def test_partial_updates_say_which_fields_they_state_on_the_wire() -> None:
    (u,) = mapped(HANDLE).accounts
    assert u.to_dict()["known_fields"] == ["handle"]
    assert AccountUpdate(STORED, ACCOUNT_FIELDS).to_dict()["known_fields"] is None


# --- cursor --------------------------------------------------------------------------------

def test_every_mapped_event_carries_its_time_us_as_cursor() -> None:
    assert mapped(IMAGES_POST).cursor == T0 and mapped(TAKENDOWN).cursor == T0 + 13000


def test_cursor_of_a_raw_line() -> None:
    assert cursor_of(DELETE) == T0 + 4000
    assert cursor_of(b"not json") is None and cursor_of(b'{"time_us": "1"}') is None and cursor_of(b"[]") is None


# --- malformed events ----------------------------------------------------------------------

MALFORMED = ["invalid_json", "missing_field", "invalid_field", "wrong_type", "wrong_type", "unsupported_event",
             "missing_field", "missing_field", "unsupported_event", "missing_field", "wrong_type"]


@pytest.mark.parametrize("number, error_type", list(enumerate(MALFORMED, 1)))
def test_malformed_events_raise_mapping_errors_saying_where(number: int, error_type: str) -> None:
    with pytest.raises(MappingError) as info:
        mapped(lines("malformed.jsonl")[number - 1])
    assert info.value.error_type == error_type
    assert info.value.reason.startswith("jetstream: ") and len(info.value.reason) > 30


def test_malformed_fixture_has_one_expectation_per_line() -> None:
    assert len(lines("malformed.jsonl")) == len(MALFORMED)


def test_keep_alive_blank_lines_are_skipped() -> None:
    assert mapped(b"\n").skip and mapped(b"  \r\n").skip


# --- the output fits our schemas, and nothing but MappingError escapes -----------------------

def test_every_mapped_record_encodes_with_the_repository_schemas() -> None:
    codec = Codec.from_dir(ROOT / "schemas")
    for raw in lines("commits.jsonl") + lines("identity_account.jsonl"):
        m = mapped(raw)
        for spec, _, value in mapped_records(m):  # exactly what ingest produces, partial patches included
            codec.encode(spec.schema, value)


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                       max_leaves=12)


def leaf_paths(obj: object, prefix: tuple = ()) -> list[tuple]:
    children = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    return [prefix] + [p for k, v in children for p in leaf_paths(v, prefix + (k,))]


def replaced(obj: object, path: tuple, value: object) -> object:
    if not path:
        return value
    copy = dict(obj) if isinstance(obj, dict) else list(obj)  # type: ignore[call-overload]
    copy[path[0]] = replaced(copy[path[0]], path[1:], value)
    return copy


REAL = [json.loads(raw) for raw in (IMAGES_POST, QUOTE_VIDEO, LINK_CARD, PROFILE, HANDLE, TAKENDOWN)]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from([(i, p) for i, e in enumerate(REAL) for p in leaf_paths(e)[1:]]), JSONISH)
def test_a_real_event_with_any_field_broken_maps_or_raises_mapping_error(where: tuple, value: object) -> None:
    index, path = where
    try:
        map_event(replaced(REAL[index], path, value))
    except MappingError:
        pass


@pytest.mark.parametrize("time_us", [-62_135_596_800_000_001, 0, 10**20])
def test_time_us_outside_any_date_is_a_mapping_error(time_us: int) -> None:
    event = {"did": "did:plc:x", "time_us": time_us, "kind": "identity", "identity": {"did": "did:plc:x"}}
    with pytest.raises(MappingError) as err:
        map_event(event)
    assert err.value.error_type == "invalid_field" and "time_us" in err.value.reason
