"""Bluesky Jetstream events onto our records.

`{"did", "time_us", "kind": "commit"|"identity"|"account", ...}`. Posts (`app.bsky.feed.post`
create/update) become Posts with post_id = `at://{did}/app.bsky.feed.post/{rkey}` and
author_id = the DID; a post delete becomes a PostDeletion. Profiles (`app.bsky.actor.profile`)
and identity events (handle changes) become *partial* AccountUpdates: a profile record states
display name and bio only, an identity event the handle only; followers are never in the
stream and stay unknown. `account` events become AccountStatus. Other collections are skipped
(ask for `wantedCollections`, see STREAM_PARAMS). Every record carries time_us as observed_at
(one clock for the registry to order by), and `Mapped.cursor` is time_us for resuming.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Callable

from streams.infra.formats.common import (AccountStatus, AccountUpdate, Mapped, MappingError, Notes, PostDeletion,
                                    build_account, build_post, dedupe, from_micros, objects, require, utc)

FORMAT = "jetstream"
POST, PROFILE = "app.bsky.feed.post", "app.bsky.actor.profile"

#: query parameters for the subscribe URL (identity and account events always come)
STREAM_PARAMS = {"wantedCollections": [POST, PROFILE]}

MENTION, LINK, TAG = "app.bsky.richtext.facet#mention", "app.bsky.richtext.facet#link", "app.bsky.richtext.facet#tag"
IMAGES, VIDEO, EXTERNAL = "app.bsky.embed.images", "app.bsky.embed.video", "app.bsky.embed.external"
RECORD, RECORD_WITH_MEDIA = "app.bsky.embed.record", "app.bsky.embed.recordWithMedia"

_FIX = 'Jetstream events are {"did": "did:...", "time_us": <int>, "kind": "commit"|"identity"|"account", ...}'


_MAX_TIME_US = 253_402_300_800_000_000  #: year 10000: past it, not a timestamp


def map_event(obj: Any) -> Mapped:
    """Map one decoded Jetstream event."""
    if not isinstance(obj, dict):
        raise MappingError("wrong_type", f"event: expected a JSON object, got {type(obj).__name__}")
    did = require(obj, "did", str, "event", _FIX)
    if not did.startswith("did:"):
        raise MappingError("invalid_field", f"event.did: {did[:60]!r} is not a DID (did:plc:... or did:web:...)")
    time_us = require(obj, "time_us", int, "event", _FIX)
    if not 0 < time_us < _MAX_TIME_US:
        raise MappingError("invalid_field", f"event.time_us: {time_us} is not a Unix time in microseconds")
    kind = require(obj, "kind", str, "event", _FIX)
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise MappingError("unsupported_event", f"event.kind: {kind!r} is not commit, identity or account")
    return replace(handler(did, from_micros(time_us), obj), cursor=time_us)


def cursor_of(raw: bytes) -> int | None:
    """The time_us of a raw event line, for the reader to resume from; None when it has none."""
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    value = obj.get("time_us") if isinstance(obj, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- commits -----------------------------------------------------------------------------

def _commit(did: str, observed: str, obj: dict[str, Any]) -> Mapped:
    commit = require(obj, "commit", dict, "event", _FIX)
    operation = require(commit, "operation", str, "event.commit", "operation is create, update or delete")
    collection = require(commit, "collection", str, "event.commit", "every commit names its collection")
    rkey = require(commit, "rkey", str, "event.commit", "every commit names its record key")
    if operation not in ("create", "update", "delete"):
        raise MappingError("unsupported_event", f"event.commit.operation: {operation!r} is not create, update or delete")
    if collection not in (POST, PROFILE):
        return Mapped(skip=True, unmapped=(f"event.commit.collection: {collection} is not moderated here; skipped "
                                           f"(subscribe with wantedCollections={POST}&wantedCollections={PROFILE})",))
    uri = f"at://{did}/{collection}/{rkey}"
    if operation == "delete":
        if collection == POST:
            return Mapped(deletions=(PostDeletion(uri, did, observed, FORMAT),))
        return _profile(did, observed, {})  # a deleted profile record: no display name, no bio
    record = require(commit, "record", dict, "event.commit", f"a {operation} commit carries the record")
    return _post(did, uri, observed, record) if collection == POST else _profile(did, observed, record)


def _post(did: str, uri: str, observed: str, record: dict[str, Any]) -> Mapped:
    notes = Notes()
    text = notes.get(record, "text", str, "record") or ""
    declared = notes.get(record, "createdAt", str, "record")
    created_at = utc(declared) if declared else None
    if created_at is None:  # client-declared; a bad one must not keep the post from moderation
        notes.add("record.createdAt", f"{declared!r} is missing or not RFC 3339; created_at is the relay time")
        created_at = observed
    langs = [x for x in notes.get(record, "langs", list, "record") or [] if isinstance(x, str) and x]
    if len(langs) > 1:
        notes.add("record.langs", f"{langs}: Post has one language; kept the first")
    media = _embed(record.get("embed"), "record.embed", notes) if record.get("embed") is not None else []
    post = build_post({"post_id": uri, "author_id": did, "text": text, "created_at": created_at,
                       "lang": langs[0] if langs else None, "mentions": list(_facets(record, text, notes)),
                       "media": media}, uri)
    reply = notes.get(record, "reply", dict, "record") or {}
    if isinstance(reply.get("parent"), dict):
        notes.add("record.reply", f"reply to {reply['parent'].get('uri')}; not mapped (no Post field)")
    _self_labels(record, notes)
    return Mapped(posts=(post,), unmapped=tuple(notes.items))


def _facets(record: dict[str, Any], text: str, notes: Notes) -> tuple[str, ...]:
    """Mentioned DIDs; also notes links whose target is not shown in the text (a hidden link)."""
    dids = []
    for path, facet in objects(record.get("facets"), "record.facets", notes):
        for fpath, feature in objects(facet.get("features"), f"{path}.features", notes):
            kind = feature.get("$type")
            if kind == MENTION:
                target = feature.get("did")
                if isinstance(target, str) and target.startswith("did:"):
                    dids.append(target)
                else:
                    notes.add(fpath, f"mention without a DID ({target!r}); not mapped")
            elif kind == LINK:
                uri = feature.get("uri")
                if not isinstance(uri, str) or uri not in text:
                    notes.add(fpath, f"link to {uri} is not shown in the text; not mapped")
            elif kind != TAG:
                notes.add(fpath, f"facet feature {kind!r} not mapped")
    return dedupe(dids)


def _embed(embed: Any, path: str, notes: Notes) -> list[dict[str, Any]]:
    """Media by blob CID, from images, video, a link card's thumbnail, or the media of a quote."""
    if not isinstance(embed, dict):
        notes.add(path, f"expected an object, got {type(embed).__name__}; ignored")
        return []
    kind = embed.get("$type")
    if kind == IMAGES:
        media = []
        for ipath, image in objects(embed.get("images"), f"{path}.images", notes):
            if image.get("alt"):
                notes.add(f"{ipath}.alt", f"alt text ({len(str(image['alt']))} chars) not mapped (no Media field)")
            media += _blob(image.get("image"), f"{ipath}.image", "image", notes)
        return media
    if kind == VIDEO:
        return _blob(embed.get("video"), f"{path}.video", "video", notes)
    if kind == EXTERNAL:
        external = embed.get("external") if isinstance(embed.get("external"), dict) else {}
        notes.add(f"{path}.external", f"link card to {external.get('uri')}; not mapped")
        thumb = external.get("thumb")
        return _blob(thumb, f"{path}.external.thumb", "image", notes) if thumb is not None else []
    if kind in (RECORD, RECORD_WITH_MEDIA):
        quoted = embed.get("record") if isinstance(embed.get("record"), dict) else {}
        if kind == RECORD_WITH_MEDIA:  # {"record": {"$type": app.bsky.embed.record, "record": {uri, cid}}}
            quoted = quoted.get("record") if isinstance(quoted.get("record"), dict) else {}
        notes.add(f"{path}.record", f"quotes {quoted.get('uri')}; not mapped (no Post field)")
        return _embed(embed.get("media"), f"{path}.media", notes) if kind == RECORD_WITH_MEDIA else []
    notes.add(path, f"embed {kind!r} not mapped")
    return []


def _blob(blob: Any, path: str, kind: str, notes: Notes) -> list[dict[str, Any]]:
    """A blob ref `{"ref": {"$link": cid}, "mimeType"}` (or the legacy `{"cid"}`) as one Media."""
    if not isinstance(blob, dict):
        notes.add(path, "no blob; not mapped")
        return []
    ref = blob.get("ref")
    cid = ref.get("$link") if isinstance(ref, dict) else blob.get("cid")
    if not isinstance(cid, str) or not cid:
        notes.add(path, "blob without a CID (ref.$link); not mapped")
        return []
    return [{"media_id": cid, "kind": "gif" if blob.get("mimeType") == "image/gif" else kind}]


def _self_labels(record: dict[str, Any], notes: Notes) -> None:
    labels = record.get("labels")
    values = labels.get("values") if isinstance(labels, dict) else None
    names = [v.get("val") for v in values if isinstance(v, dict)] if isinstance(values, list) else []
    if names:
        notes.add("record.labels", f"author self-labels {names} not mapped (no field)")


# --- accounts ----------------------------------------------------------------------------

def _profile(did: str, observed: str, record: dict[str, Any]) -> Mapped:
    """A profile record is whole: a missing displayName or description means empty, not unknown."""
    notes = Notes()
    stated = {}
    for key, name in (("displayName", "display_name"), ("description", "bio")):
        value = record.get(key, "")
        if isinstance(value, str):
            stated[name] = value
        else:
            notes.add(f"record.{key}", f"expected a string, got {type(value).__name__}; unknown")
    for key in ("avatar", "banner"):
        if record.get(key) is not None:
            notes.add(f"record.{key}", "profile image not mapped (Account has no media)")
    _self_labels(record, notes)
    account = build_account({"account_id": did, **stated, "observed_at": observed}, f"profile {did}")
    return Mapped(accounts=(AccountUpdate(account, frozenset(stated)),), unmapped=tuple(notes.items))


def _identity(did: str, observed: str, obj: dict[str, Any]) -> Mapped:
    identity = require(obj, "identity", dict, "event", _FIX)
    notes = Notes()
    handle = notes.get(identity, "handle", str, "event.identity")
    if handle is None:
        return Mapped(skip=True, unmapped=tuple(notes.items) or (
            "event.identity.handle: identity event without a handle (a DID document change); nothing to update",))
    if handle == "handle.invalid":
        notes.add("event.identity.handle", "the handle no longer verifies (handle.invalid); mapped as shown")
    account = build_account({"account_id": did, "handle": handle, "observed_at": observed}, f"identity {did}")
    return Mapped(accounts=(AccountUpdate(account, frozenset({"handle"})),), unmapped=tuple(notes.items))


def _account(did: str, observed: str, obj: dict[str, Any]) -> Mapped:
    account = require(obj, "account", dict, "event", _FIX)
    active = require(account, "active", bool, "event.account", "account events say whether the account is active")
    notes = Notes()
    status = notes.get(account, "status", str, "event.account") or ("active" if active else "inactive")
    return Mapped(statuses=(AccountStatus(did, active, status, observed, FORMAT),), unmapped=tuple(notes.items))


_HANDLERS: dict[str, Callable[[str, str, dict[str, Any]], Mapped]] = {
    "commit": _commit, "identity": _identity, "account": _account}
