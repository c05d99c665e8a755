"""X API v2 stream events (filtered or sampled stream, and compliance events) onto our records.

One JSON object per line: `{"data": post, "includes": {"users", "media", "places"}, "matching_rules",
"errors"}`. Every user in `includes.users` becomes an AccountUpdate observed at the post's
created_at; only the fields X sent are stated (labels never are: X has none). Mentions resolve
to ids from the mention itself or `includes.users`; one that cannot is noted, never guessed.

Decisions:
- `errors` next to `data` are counted (`upstream_errors`) and noted, and the post is mapped;
  an `errors`-only line (e.g. an operational disconnect) carries no post and raises
  MappingError("upstream_error") so operators see it on dead-letters with the original bytes.
- Deletions: v1.1 `{"delete": {"status": {...}}, "timestamp_ms"}` and the v2 compliance
  `{"data": {"delete": {"tweet": {...}, "event_at"}}}` become PostDeletion; the user
  compliance events delete/suspend (and their reversals) become AccountStatus, a
  `user_profile_modification` of name/description/username a partial AccountUpdate; other
  compliance events (withheld, drop, scrub_geo, tweet_edit, ...) have no record yet and raise
  MappingError("unsupported_event").
"""

from __future__ import annotations

from typing import Any

from streams.infra.formats.common import (ACCOUNT_FIELDS, AccountStatus, AccountUpdate, Mapped, MappingError,
                                    Notes, PostDeletion, build_account, build_post, dedupe, from_millis, objects,
                                    require, utc)

FORMAT = "x-v2"

#: query parameters the stream URL needs for a full mapping (the reader adds the missing ones)
STREAM_PARAMS = {
    "tweet.fields": "created_at,author_id,lang,entities,attachments,referenced_tweets,possibly_sensitive,geo,"
                    "note_tweet,withheld",
    "expansions": "author_id,entities.mentions.username,attachments.media_keys,geo.place_id",
    "user.fields": "username,name,description,verified,verified_type,public_metrics,location,created_at",
    "media.fields": "media_key,type",
    "place.fields": "country_code",
}

MEDIA_KINDS = {"photo": "image", "video": "video", "animated_gif": "gif"}
VERIFIED_TYPES = {"none", "blue", "business", "government"}
NO_LANGUAGE = {"und", "zxx", "qme", "qht", "qam", "qct", "qst"}  #: X's codes for "no detectable language"

_USER_STATUS = {"user_delete": ("deleted", False), "user_suspend": ("suspended", False),
                "user_undelete": ("active", True), "user_unsuspend": ("active", True)}
_PROFILE_FIELDS = {"name": "display_name", "description": "bio", "username": "handle", "screen_name": "handle"}
_OTHER_COMPLIANCE = {"withheld", "drop", "undrop", "scrub_geo", "tweet_edit", "user_protect", "user_unprotect",
                     "user_withheld"}
_FIX_FIELDS = "request it in the stream URL (see x_v2.STREAM_PARAMS; the reader adds them)"


def map_event(obj: Any) -> Mapped:
    """Map one decoded X stream line (a keep-alive is handled by `formats.map_line`)."""
    if not isinstance(obj, dict):
        raise MappingError("wrong_type", f"event: expected a JSON object, got {type(obj).__name__}")
    if "delete" in obj:
        return _v11_delete(obj)
    data, errors = obj.get("data"), obj.get("errors")
    if data is None:
        if errors:
            raise MappingError("upstream_error", f"errors-only event, no data: {_describe(errors)}; "
                                                 "operational disconnects reconnect by themselves, rule errors "
                                                 "need the stream rules fixed")
        raise MappingError("unsupported_event", f"event without 'data' (keys: {', '.join(sorted(obj))}); "
                                                "expected a post, a compliance event or errors")
    if not isinstance(data, dict):
        raise MappingError("wrong_type", f"data: expected an object, got {type(data).__name__}")
    if "id" not in data and len(data) == 1:
        return _compliance(*next(iter(data.items())))
    return _post(obj, data, errors)


# --- posts -------------------------------------------------------------------------------

def _post(obj: dict[str, Any], data: dict[str, Any], errors: Any) -> Mapped:
    notes = Notes()
    post_id = require(data, "id", str, "data", "every post has an id")
    author_id = require(data, "author_id", str, "data", f"add author_id: {_FIX_FIELDS}")
    created_at = _timestamp(require(data, "created_at", str, "data", f"add created_at: {_FIX_FIELDS}"), "data.created_at")
    includes = notes.get(obj, "includes", dict, "") or {}
    users = objects(includes.get("users"), "includes.users", notes)
    accounts = tuple(a for path, u in users if (a := _account(u, path, created_at, notes)) is not None)
    if not any(u.get("id") == author_id for _, u in users):
        notes.add("data.author_id", f"author {author_id} is not in includes.users: no profile snapshot; "
                                    "add the author_id expansion")
    post = build_post({
        "post_id": post_id,
        "author_id": author_id,
        "text": _text(data, notes),
        "created_at": created_at,
        "lang": _lang(data, notes),
        "country": _country(data, includes, notes),
        "mentions": list(_mentions(data, users, notes)),
        "media": _media(data, includes, notes),
    }, f"post {post_id}")
    _note_unmapped(obj, data, notes)
    errors_list = errors if isinstance(errors, list) else [errors] if errors else []
    for i, err in enumerate(errors_list):
        notes.add(f"errors[{i}]", f"upstream error kept with the post: {_describe([err])}")
    return Mapped(posts=(post,), accounts=accounts, unmapped=tuple(notes.items), upstream_errors=len(errors_list))


def _text(data: dict[str, Any], notes: Notes) -> str:
    """The full text: long posts carry it in note_tweet, `text` being a truncated preview."""
    note_tweet = notes.get(data, "note_tweet", dict, "data") or {}
    full = notes.get(note_tweet, "text", str, "data.note_tweet")
    return full or require(data, "text", str, "data", "every post has text")


def _lang(data: dict[str, Any], notes: Notes) -> str | None:
    lang = notes.get(data, "lang", str, "data")
    return None if lang in NO_LANGUAGE else lang


def _country(data: dict[str, Any], includes: dict[str, Any], notes: Notes) -> str | None:
    geo = notes.get(data, "geo", dict, "data") or {}
    if geo.get("coordinates") is not None:
        notes.add("data.geo.coordinates", "exact coordinates not mapped (no Post field; personal data)")
    place_id = notes.get(geo, "place_id", str, "data.geo")
    if place_id is None:
        return None
    for path, place in objects(includes.get("places"), "includes.places", notes):
        if place.get("id") == place_id:
            code = notes.get(place, "country_code", str, path)
            if code and len(code) == 2 and code.isalpha():
                return code.upper()
            notes.add(f"{path}.country_code", f"{code!r} is not an ISO 3166-1 alpha-2 code; country unknown")
            return None
    notes.add("data.geo.place_id", f"place {place_id} is not in includes.places with a country_code; "
                                   "add the geo.place_id expansion and place.fields=country_code")
    return None


def _mentions(data: dict[str, Any], users: list[tuple[str, dict[str, Any]]], notes: Notes) -> tuple[str, ...]:
    by_handle = {u["username"].lower(): u["id"] for _, u in users
                 if isinstance(u.get("username"), str) and isinstance(u.get("id"), str)}
    entities = notes.get(data, "entities", dict, "data") or {}
    ids = []
    for path, mention in objects(entities.get("mentions"), "data.entities.mentions", notes):
        handle = mention.get("username")
        account_id = mention.get("id") if isinstance(mention.get("id"), str) and mention["id"] else None
        account_id = account_id or (by_handle.get(handle.lower()) if isinstance(handle, str) else None)
        if account_id:
            ids.append(account_id)
        else:
            notes.add(path, f"mention @{handle} has no id in the mention or includes.users; not mapped "
                            "(X gives one with the entities.mentions.username expansion, for existing accounts)")
    return dedupe(ids)


def _media(data: dict[str, Any], includes: dict[str, Any], notes: Notes) -> list[dict[str, Any]]:
    attachments = notes.get(data, "attachments", dict, "data") or {}
    keys = notes.get(attachments, "media_keys", list, "data.attachments") or []
    by_key = {m["media_key"]: (path, m) for path, m in objects(includes.get("media"), "includes.media", notes)
              if isinstance(m.get("media_key"), str)}
    media = []
    for i, key in enumerate(dict.fromkeys(k for k in keys if isinstance(k, str))):
        if key not in by_key:
            notes.add(f"data.attachments.media_keys[{i}]", f"media {key} is not in includes.media, kind unknown; "
                                                           "not mapped (add the attachments.media_keys expansion)")
            continue
        path, item = by_key[key]
        kind = MEDIA_KINDS.get(item["type"]) if isinstance(item.get("type"), str) else None
        if kind is None:
            notes.add(f"{path}.type", f"media type {item.get('type')!r} is not photo, video or animated_gif; not mapped")
            continue
        media.append({"media_id": key, "kind": kind})
    return media


def _note_unmapped(obj: dict[str, Any], data: dict[str, Any], notes: Notes) -> None:
    """What X says that a moderator may want but our Post has no field for."""
    for path, ref in objects(data.get("referenced_tweets"), "data.referenced_tweets", notes):
        notes.add(path, f"{ref.get('type')} post {ref.get('id')} not mapped (Post has no referenced-post field)")
    if data.get("possibly_sensitive") is True:
        notes.add("data.possibly_sensitive", "X flags the media as possibly sensitive; not mapped (no Post field)")
    if data.get("withheld"):
        notes.add("data.withheld", f"withheld in {data['withheld']}; not mapped (no Post field)")
    for path, rule in objects(obj.get("matching_rules"), "matching_rules", notes):
        notes.add(path, f"matched stream rule {rule.get('id')} tag {rule.get('tag')!r}; not mapped")


# --- accounts ----------------------------------------------------------------------------

def _account(user: dict[str, Any], path: str, observed_at: str, notes: Notes) -> AccountUpdate | None:
    account_id = notes.get(user, "id", str, path)
    if account_id is None:
        notes.add(path, "user without an id; not mapped")
        return None
    stated: dict[str, Any] = {"handle": notes.get(user, "username", str, path),
                              "display_name": notes.get(user, "name", str, path),
                              "bio": notes.get(user, "description", str, path),
                              "verified": notes.get(user, "verified", bool, path)}
    if user.get("description") == "":
        stated["bio"] = ""  # an empty bio is a fact, not an unknown
    metrics = notes.get(user, "public_metrics", dict, path)
    if metrics is not None:
        followers = notes.get(metrics, "followers_count", int, f"{path}.public_metrics")
        stated["followers"] = followers if followers is not None and followers >= 0 else None
    verified_type = notes.get(user, "verified_type", str, path)
    if verified_type in VERIFIED_TYPES:
        stated["verified_type"] = verified_type
    elif verified_type is not None:
        notes.add(f"{path}.verified_type", f"{verified_type!r} is not none, blue, business or government; unknown")
    for name, why in (("location", "free text, not resolved to a country (no Account field)"),
                      ("created_at", "account creation time has no Account field")):
        if user.get(name):
            notes.add(f"{path}.{name}", f"{why}; not mapped")
    known = {k: v for k, v in stated.items() if v is not None}
    account = build_account({"account_id": account_id, **known, "observed_at": observed_at}, path)
    return AccountUpdate(account, frozenset(known) & ACCOUNT_FIELDS)


# --- compliance --------------------------------------------------------------------------

def _v11_delete(obj: dict[str, Any]) -> Mapped:
    fix = "expected the v1.1 shape {\"delete\": {\"status\": {\"id_str\", \"user_id_str\"}, \"timestamp_ms\"}}"
    delete = require(obj, "delete", dict, "event", fix)
    status = require(delete, "status", dict, "delete", fix)
    post_id = _id(status, "id", "delete.status", fix)
    author_id = _id(status, "user_id", "delete.status", fix, required=False)
    stamp = delete.get("timestamp_ms", obj.get("timestamp_ms"))
    deleted_at = from_millis(str(stamp)) if stamp is not None else None
    return Mapped(deletions=(PostDeletion(post_id, author_id, deleted_at, FORMAT),))


def _compliance(kind: str, event: Any) -> Mapped:
    where = f"data.{kind}"
    if kind in _OTHER_COMPLIANCE:
        raise MappingError("unsupported_event", f"compliance event {kind!r} has no modstream record yet; "
                                                "kept on dead-letters for operators")
    if kind != "delete" and kind not in _USER_STATUS and kind != "user_profile_modification":
        raise MappingError("unsupported_event", f"{where}: unknown event (no data.id, one key {kind!r}); "
                                                "expected a post or a documented compliance event")
    fix = f"expected {{\"{kind}\": {{\"{'tweet' if kind == 'delete' else 'user'}\": {{\"id\"}}, \"event_at\"}}}}"
    event_at = require(event, "event_at", str, where, fix)
    at = _timestamp(event_at, f"{where}.event_at")
    if kind == "delete":
        tweet = require(event, "tweet", dict, where, fix)
        author_id = tweet.get("author_id") if isinstance(tweet.get("author_id"), str) else None
        return Mapped(deletions=(PostDeletion(require(tweet, "id", str, f"{where}.tweet", fix), author_id, at, FORMAT),))
    account_id = require(require(event, "user", dict, where, fix), "id", str, f"{where}.user", fix)
    if kind in _USER_STATUS:
        status, active = _USER_STATUS[kind]
        return Mapped(statuses=(AccountStatus(account_id, active, status, at, FORMAT),))
    field = require(event, "profile_field", str, where, fix)
    if field not in _PROFILE_FIELDS:
        return Mapped(skip=True, unmapped=(f"{where}.profile_field: {field!r} has no Account field; not mapped",))
    value = event.get("new_value") if isinstance(event.get("new_value"), str) else ""
    name = _PROFILE_FIELDS[field]
    account = build_account({"account_id": account_id, name: value, "observed_at": at}, where)
    return Mapped(accounts=(AccountUpdate(account, frozenset({name})),))


def _id(d: dict[str, Any], name: str, where: str, fix: str, required: bool = True) -> str | None:
    """X ids as strings: the *_str form first (v1.1 numbers exceed what JSON readers keep exact)."""
    for key in (f"{name}_str", name):
        value = d.get(key)
        if isinstance(value, str) and value.isdigit() or isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    if required:
        raise MappingError("missing_field", f"{where}.{name}_str is missing or not a numeric id; {fix}")
    return None


def _timestamp(value: str, where: str) -> str:
    stamp = utc(value)
    if stamp is None:
        raise MappingError("invalid_timestamp", f"{where}: {value!r} is not an RFC 3339 timestamp with an offset; "
                                                "X sends e.g. 2024-05-01T12:00:00.000Z")
    return stamp


def _describe(errors: Any) -> str:
    parts = []
    for err in errors if isinstance(errors, list) else [errors]:
        if isinstance(err, dict):
            bits = [str(err[k]) for k in ("title", "disconnect_type", "detail", "resource_id") if err.get(k)]
            parts.append(": ".join(bits) or str(err)[:200])
        else:
            parts.append(str(err)[:200])
    return "; ".join(parts)
