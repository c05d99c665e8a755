"""The political-account registry on disk: import official lists, write and read seeds.

The pure eligibility logic lives in `agents.political`; this module is its file side:

- `read_congress` / `import_congress`: the unitedstates/congress-legislators YAML (a copy
  in `../shared/data/congress-legislators/`) -> one Designation per current member whose
  official X account has a numeric id. Matching is by account id only, never by handle,
  so members with a handle but no numeric id are skipped and counted, never guessed.
- `write_seed` / `load_seed`: the shipped JSONL seed, a provenance header line first.
- `load_designations`: the generic JSONL/CSV format for other countries, candidates and
  parties (see `streams/infra/data/registry/README.md`); errors name file, line and field.
- `explain`: the text of `modstream registry show ACCOUNT`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from agents.policy import Policy
from agents.political import assess
from agents.records import LEVELS, ROLES, Account, Designation, RecordError

CONGRESS_REPO = "unitedstates/congress-legislators"
CONGRESS_COMMIT = "dfa96222"  #: the commit named in ../shared/data/README.md
CONGRESS_SOURCE = f"congress-legislators@{CONGRESS_COMMIT}"
SEED_AS_OF = "2026-11-22"  #: fixed, so regenerating the shipped seed is deterministic
SHIPPED_SEED = Path(__file__).resolve().parent / "data" / "registry" / "us-congress.jsonl"
CONGRESS_FILES = ("legislators-current.yaml", "legislators-social-media.yaml", "executive.yaml")

_BODIES = {"sen": "US Senate", "rep": "US House of Representatives"}
_EXECUTIVE_TITLES = {"prez": "President", "viceprez": "Vice President"}
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Field -> how to write it; used in error messages so a bad line says how to fix it.
FIELD_HELP: dict[str, str] = {
    "account_id": "the platform's account id as text (never a @handle: handles change hands)",
    "role": f"one of {', '.join(ROLES)}",
    "body": "the governmental or legislative body, e.g. 'US Senate', 'Springfield City Council'",
    "level": f"one of {', '.join(LEVELS)}",
    "jurisdiction": "ISO 3166 code, optionally with subdivision and district, e.g. 'US-VT', 'US-NY-12'",
    "source": "where this came from, as name@version, e.g. 'fr-elections@2026-03-01'",
    "confidence": "a number from 0 to 1 (1.0 for an official list)",
    "valid_from": "an ISO date YYYY-MM-DD, or empty when the start is unknown",
    "valid_until": "an ISO date YYYY-MM-DD, or empty when open-ended",
    "person": "the person's or party's name, for reviewers",
}
FIELDS = tuple(FIELD_HELP)
_REQUIRED = ("account_id", "role", "body", "level", "source")


class RegistryFileError(ValueError):
    """A registry file that cannot be read; names the file, line and field, and how to fix it."""

    def __init__(self, path: Path, line: int, field: str | None, problem: str):
        where = f"{path}:{line}" if line else str(path)
        where += f": field {field}" if field else ""
        fix = f" (fix: {FIELD_HELP[field]})" if field in FIELD_HELP else ""
        super().__init__(f"{where}: {problem}{fix}")
        self.path, self.line, self.field, self.problem = path, line, field, problem


# --- congress-legislators ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CongressImport:
    """Designations plus the provenance header that says where they came from and who is missing."""

    designations: tuple[Designation, ...]
    provenance: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Skip:
    key: str
    why: str
    who: str


def import_congress(data_dir: Path, as_of: str) -> list[Designation]:
    """Designations for the members of Congress and the executive current at `as_of`."""
    return list(read_congress(data_dir, as_of).designations)


def read_congress(data_dir: Path, as_of: str) -> CongressImport:
    """Read the three YAML files; skipped members are counted by reason in the provenance."""
    data_dir = Path(data_dir)
    day = _iso_day(as_of)
    current, social_media, executive = (_read_yaml(data_dir / name) for name in CONGRESS_FILES)
    social = {entry["id"]["bioguide"]: (entry.get("social") or {}) for entry in social_media}
    results = [_member_designation(m, social.get(m["id"].get("bioguide"), {}), day) for m in current]
    current_executive = 0
    for officer in executive:
        term = _term_at(officer["terms"], day)
        if term is None:
            continue  # a past president or vice president: not a designation, not a skip
        current_executive += 1
        results.append(_executive_designation(officer, term))
    designations = [r for r in results if isinstance(r, Designation)]
    skips = [r for r in results if isinstance(r, _Skip)]
    designations.sort(key=lambda d: (d.body, d.jurisdiction, d.account_id))
    provenance = {
        "source": CONGRESS_REPO,
        "commit": CONGRESS_COMMIT,
        "designation_source": CONGRESS_SOURCE,
        "license": "CC0",
        "account_id_from": "legislators-social-media.yaml social.twitter_id (numeric X account id)",
        "as_of": day,
        "imported_at": day,
        "files": {name: _sha256(data_dir / name) for name in CONGRESS_FILES},
        "counts": {
            "legislators_in_file": len(current),
            "executive_current_at_as_of": current_executive,
            "designations": len(designations),
            **{body: sum(d.body == body for d in designations) for body in _BODIES.values()},
        },
        "skipped": _group_skips(skips),
    }
    return CongressImport(tuple(designations), provenance)


def regenerate_congress_seed(data_dir: Path, out: Path = SHIPPED_SEED, as_of: str = SEED_AS_OF) -> dict[str, Any]:
    """`modstream registry import --congress DIR --out FILE`: import and write the seed; returns provenance."""
    result = read_congress(data_dir, as_of)
    write_seed(result.designations, out, result.provenance)
    return result.provenance


def _member_designation(member: Mapping[str, Any], social: Mapping[str, Any], day: str) -> Designation | _Skip:
    name = _person(member["name"])
    who = f"{member['id'].get('bioguide', '?')} {name}"
    term = _term_at(member["terms"], day)
    if term is None:
        last = member["terms"][-1]
        return _Skip("term_not_current_at_as_of", "listed as current, but the last term ended before as_of",
                     f"{who} (ended {last['end']})")
    account_id = _numeric_id(social.get("twitter_id"))
    if account_id is None:
        if social.get("twitter"):
            return _Skip("twitter_handle_without_numeric_id",
                         "only a handle is listed; accounts are matched by numeric id, never by handle", who)
        return _Skip("no_twitter_account_listed", "no official X/Twitter account in the data set", who)
    state = term["state"]
    district = term.get("district")
    jurisdiction = f"US-{state}" if term["type"] == "sen" else f"US-{state}-{district or 'AL'}"
    return Designation(
        account_id=account_id, role="elected_or_appointed_official", body=_BODIES[term["type"]], level="national",
        jurisdiction=jurisdiction, source=CONGRESS_SOURCE, confidence=1.0,
        valid_from=str(term["start"]), valid_until=str(term["end"]), person=name,
    )


def _executive_designation(officer: Mapping[str, Any], term: Mapping[str, Any]) -> Designation | _Skip:
    title = _EXECUTIVE_TITLES.get(term["type"], term["type"])
    name = _person(officer["name"])
    account_id = _numeric_id((officer.get("social") or {}).get("twitter_id"))
    if account_id is None:
        return _Skip("executive_no_social_ids_in_dataset",
                     "executive.yaml lists no social accounts; ids are not invented", f"{name} ({title})")
    return Designation(
        account_id=account_id, role="elected_or_appointed_official", body="US Executive Branch", level="national",
        jurisdiction="US", source=CONGRESS_SOURCE, confidence=1.0,
        valid_from=str(term["start"]), valid_until=str(term["end"]), person=f"{name} ({title})",
    )


def _group_skips(skips: Iterable[_Skip]) -> dict[str, dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for skip in skips:
        entry = grouped.setdefault(skip.key, {"count": 0, "why": skip.why, "who": []})
        entry["count"] += 1
        entry["who"].append(skip.who)
    return {key: grouped[key] for key in sorted(grouped)}


def _term_at(terms: Sequence[Mapping[str, Any]], day: str) -> Mapping[str, Any] | None:
    for term in reversed(terms):
        if str(term["start"]) <= day <= str(term["end"]):
            return term
    return None


def _person(name: Mapping[str, Any]) -> str:
    if name.get("official_full"):
        return str(name["official_full"])
    return " ".join(str(name[k]) for k in ("first", "middle", "last", "suffix") if name.get(k))


def _numeric_id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text if text.isdigit() else None


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_YAML_LOADER)
    if not isinstance(data, list):
        raise RegistryFileError(path, 1, None, "expected a YAML list of people")
    return data


def _sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


# --- seed files ---------------------------------------------------------------------------


def write_seed(designations: Iterable[Designation], path: Path, provenance: dict[str, Any]) -> None:
    """JSONL: a `{"_provenance": ...}` header line, then one designation per line (atomic replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"_provenance": provenance}, ensure_ascii=False, sort_keys=True)]
    lines += [json.dumps(d.to_dict(), ensure_ascii=False) for d in designations]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load_seed(path: Path) -> list[Designation]:
    """A seed written by `write_seed`; its first line must be the provenance header."""
    read_provenance(path)
    return list(_designations(Path(path), _jsonl_rows(Path(path))))


def read_provenance(path: Path) -> dict[str, Any]:
    """The provenance header of a seed file."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
    if not first.strip():
        raise RegistryFileError(path, 1, None, 'not a seed: the first line must be {"_provenance": {...}}')
    header = _json_line(path, 1, first)
    if "_provenance" not in header:
        raise RegistryFileError(path, 1, None, 'not a seed: the first line must be {"_provenance": {...}}')
    return header["_provenance"]


def load_designations(path: Path) -> list[Designation]:
    """Generic registry file: JSONL (`.jsonl`/`.ndjson`) or CSV (`.csv`) with the Designation field names."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(path)
    elif suffix == ".csv":
        rows = _csv_rows(path)
    else:
        raise RegistryFileError(path, 0, None, f"unknown format {suffix!r}: use .jsonl or .csv")
    return list(_designations(path, rows))


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            row = _json_line(path, number, text)
            if number == 1 and "_provenance" in row:
                continue
            yield number, row


def _json_line(path: Path, number: int, text: str) -> dict[str, Any]:
    try:
        row = json.loads(text)
    except json.JSONDecodeError as e:
        raise RegistryFileError(path, number, None, f"not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(row, dict):
        raise RegistryFileError(path, number, None, "expected one JSON object per line")
    return row


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [f for f in _REQUIRED if f not in header]
        if missing:
            raise RegistryFileError(path, 1, missing[0], f"header row lacks required column(s) {', '.join(missing)}")
        for row in reader:
            if None in row:
                raise RegistryFileError(path, reader.line_num, None, "more cells than header columns")
            values = {k: v.strip() for k, v in row.items() if v is not None and v.strip() != ""}
            if "confidence" in values:
                try:
                    values["confidence"] = float(values["confidence"])
                except ValueError:
                    raise RegistryFileError(path, reader.line_num, "confidence",
                                            f"{values['confidence']!r} is not a number") from None
            yield reader.line_num, values


def _designations(path: Path, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[Designation]:
    for number, row in rows:
        unknown = sorted(set(row) - set(FIELDS))
        if unknown:
            raise RegistryFileError(path, number, unknown[0],
                                    f"unknown field (known: {', '.join(FIELDS)}); check the spelling")
        try:
            designation = Designation.from_dict(row)
        except RecordError as e:
            raise RegistryFileError(path, number, e.path.split(".", 1)[-1], e.problem) from None
        _check_designation(path, number, designation)
        yield designation


def _check_designation(path: Path, number: int, d: Designation) -> None:
    """What `Designation.from_dict` leaves open: handles as ids, and dates that compare wrongly as text."""
    if d.account_id.startswith("@") or not d.account_id.strip() or any(c.isspace() for c in d.account_id):
        raise RegistryFileError(path, number, "account_id", f"{d.account_id!r} is not an account id")
    for field in ("valid_from", "valid_until"):
        value = getattr(d, field)
        if value is not None:
            try:
                _iso_day(value)
            except ValueError:
                raise RegistryFileError(path, number, field, f"{value!r} is not an ISO date") from None
    if d.valid_from and d.valid_until and d.valid_from[:10] > d.valid_until[:10]:
        raise RegistryFileError(path, number, "valid_until", f"{d.valid_until} is before valid_from {d.valid_from}")


def _iso_day(value: str) -> str:
    """The YYYY-MM-DD day of an ISO date or RFC 3339 timestamp; ValueError otherwise."""
    return date.fromisoformat(value[:10]).isoformat()


# --- modstream registry show ---------------------------------------------------------------


def explain(account_id: str, designations: Sequence[Designation], author: Account | None, at: str,
            policy: Policy) -> str:
    """Multi-line text: each designation of `account_id` with provenance and term, then assess()."""
    own = [d for d in designations if d.account_id == account_id]
    lines = [f"account {account_id} at {at} (policy {policy.version})", f"registry designations: {len(own)}"]
    for d in own:
        state = "current" if d.current_at(at) else "NOT current"
        lines.append(f"  - {d.person or '(no name)'}: {d.role}, {d.body}, {d.level}, {d.jurisdiction or '-'}")
        lines.append(f"    term {d.valid_from or '?'} to {d.valid_until or 'open'} ({state} at {at[:10]}); "
                     f"source {d.source}, confidence {d.confidence:.2f}")
    if author is None:
        lines.append("profile: unknown (no snapshot)")
    else:
        followers = "unknown" if author.followers is None else f"{author.followers:,}"
        lines.append(f"profile: verified={author.verified} ({author.verified_type}), followers {followers}, "
                     f"labels {', '.join(author.labels) or '-'}")
    status = assess(author, own, at, policy)
    lines.append(f"assessment: eligible={status.eligible} high_profile={status.high_profile} role={status.role} "
                 f"source={status.source} confidence={status.confidence:.2f} "
                 f"needs_confirmation={status.needs_confirmation}")
    lines.append("reasons:")
    lines += [f"  - {reason}" for reason in status.reasons]
    return "\n".join(lines)
