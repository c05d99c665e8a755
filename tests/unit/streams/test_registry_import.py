"""The registry importer against the real congress-legislators data (an excerpt in tests/fixtures:
every member, only the fields the importer reads), and the seed formats."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agents.policy import Policy
from agents.political import assess
from agents.records import Account, Designation
from streams.infra.registry_import import (
    CONGRESS_SOURCE,
    SEED_AS_OF,
    SHIPPED_SEED,
    RegistryFileError,
    explain,
    import_congress,
    load_designations,
    load_seed,
    read_congress,
    read_provenance,
    write_seed,
)

PROJECT = Path(__file__).resolve().parents[3]
CONGRESS = PROJECT / "tests" / "fixtures" / "congress-legislators"  #: see its README.md
EXAMPLE = PROJECT / "streams" / "infra" / "data" / "registry" / "example-other.jsonl"
AT = "2026-11-22T12:00:00Z"
POLICY = Policy()


@pytest.fixture(scope="module")
def congress():
    assert CONGRESS.is_dir(), f"fixture missing: {CONGRESS}"
    return read_congress(CONGRESS, SEED_AS_OF)


def _yaml(name: str):
    return yaml.load((CONGRESS / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def test_every_current_member_with_a_numeric_twitter_id_is_imported(congress):
    social = {e["id"]["bioguide"]: e.get("social") or {} for e in _yaml("legislators-social-media.yaml")}
    by_id = {d.account_id: d for d in congress.designations}
    expected = 0
    for member in _yaml("legislators-current.yaml"):
        term = member["terms"][-1]
        twitter_id = social.get(member["id"]["bioguide"], {}).get("twitter_id")
        if twitter_id is None or not (term["start"] <= SEED_AS_OF <= term["end"]):
            continue
        expected += 1
        d = by_id[str(twitter_id)]
        assert d.role == "elected_or_appointed_official" and d.level == "national"
        assert d.body == ("US Senate" if term["type"] == "sen" else "US House of Representatives")
        assert (d.valid_from, d.valid_until) == (term["start"], term["end"])
        assert d.jurisdiction.startswith(f"US-{term['state']}")
        assert d.source == CONGRESS_SOURCE and d.confidence == 1.0 and d.person
    assert len(congress.designations) == expected == 409
    assert all(d.account_id.isdigit() for d in congress.designations)


def test_jurisdictions(congress):
    jurisdictions = {d.jurisdiction for d in congress.designations}
    assert {"US-VT", "US-VT-AL", "US-NY-12"} <= jurisdictions


def test_skipped_members_are_counted_with_reasons(congress):
    skipped = congress.provenance["skipped"]
    counts = {key: entry["count"] for key, entry in skipped.items()}
    assert counts == {"executive_no_social_ids_in_dataset": 2, "no_twitter_account_listed": 29,
                      "term_not_current_at_as_of": 2, "twitter_handle_without_numeric_id": 97}
    assert sum(counts.values()) - 2 + len(congress.designations) == congress.provenance["counts"]["legislators_in_file"]
    assert all(len(entry["who"]) == entry["count"] and entry["why"] for entry in skipped.values())
    assert any("Vance" in who for who in skipped["executive_no_social_ids_in_dataset"]["who"])


def test_import_congress_returns_the_designations(congress):
    assert import_congress(CONGRESS, SEED_AS_OF) == list(congress.designations)


def test_shipped_seed_equals_a_fresh_import(congress):
    """The seed was imported from the whole upstream files; the fixture holds every member with the
    fields the importer reads, so everything but the files' digests comes out the same."""
    stale = "streams/infra/data/registry/us-congress.jsonl is stale: regenerate it (see its README.md)"
    assert load_seed(SHIPPED_SEED) == list(congress.designations), stale
    shipped = read_provenance(SHIPPED_SEED)
    assert {k: v for k, v in shipped.items() if k != "files"} == {
        k: v for k, v in congress.provenance.items() if k != "files"}, stale
    assert set(shipped["files"]) == set(congress.provenance["files"])


def test_seed_round_trip(tmp_path, congress):
    path = tmp_path / "seed.jsonl"
    write_seed(congress.designations, path, congress.provenance)
    assert load_seed(path) == list(congress.designations)
    provenance = read_provenance(path)
    assert provenance["commit"] == "dfa96222" and provenance["as_of"] == SEED_AS_OF


def test_load_seed_requires_the_provenance_header(tmp_path):
    path = tmp_path / "seed.jsonl"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RegistryFileError, match=r"seed.jsonl:1: .*_provenance"):
        load_seed(path)


def test_every_seed_designation_is_eligible_for_a_high_profile_account():
    designations = load_seed(SHIPPED_SEED)
    assert len(designations) == 409
    for d in designations:
        author = Account(account_id=d.account_id, followers=200_000, verified=True, verified_type="government")
        status = assess(author, [d], AT, POLICY)
        assert status.eligible and status.role == "elected_or_appointed_official", (d, status.reasons)
        assert status.source == f"registry:{CONGRESS_SOURCE}" and not status.needs_confirmation


def test_account_not_in_seed_is_not_eligible():
    seed_ids = {d.account_id for d in load_seed(SHIPPED_SEED)}
    outsider = "1234567890123"
    assert outsider not in seed_ids
    author = Account(account_id=outsider, followers=1_000_000, verified=True, verified_type="blue")
    status = assess(author, [d for d in load_seed(SHIPPED_SEED) if d.account_id == outsider], AT, POLICY)
    assert not status.eligible and status.role is None


# --- generic format ------------------------------------------------------------------------

HEADER = "account_id,role,body,level,jurisdiction,source,confidence,valid_from,valid_until,person\n"


def test_example_file_loads_and_has_a_party_a_candidate_and_a_mayor():
    roles = {d.role for d in load_designations(EXAMPLE)}
    assert roles == {"political_party", "candidate", "elected_or_appointed_official"}


def test_csv_loads_with_empty_cells_as_none(tmp_path):
    path = tmp_path / "regs.csv"
    path.write_text(HEADER + 'fictional-1,candidate,Springfield City Council,local,XR-SPR,ex@1,0.9,2026-09-01,,'
                    '"Jane Example, Ward 3"\n', encoding="utf-8")
    [d] = load_designations(path)
    assert d == Designation("fictional-1", "candidate", "Springfield City Council", "local", "XR-SPR", "ex@1", 0.9,
                            "2026-09-01", None, "Jane Example, Ward 3")


@pytest.mark.parametrize("row, field", [
    ("fictional-1,mayor,City,local,XR,ex@1,1.0,,,", "role"),
    ("fictional-1,candidate,City,galactic,XR,ex@1,1.0,,,", "level"),
    ("fictional-1,candidate,City,local,XR,ex@1,high,,,", "confidence"),
    ("fictional-1,candidate,City,local,XR,ex@1,1.0,11/03/2026,,", "valid_from"),
    ("fictional-1,candidate,City,local,XR,ex@1,1.0,2026-11-03,2026-09-01,", "valid_until"),
    ("@janeexample,candidate,City,local,XR,ex@1,1.0,,,", "account_id"),
    (",candidate,City,local,XR,ex@1,1.0,,,", "account_id"),
    ("fictional-1,candidate,City,local,XR,,1.0,,,", "source"),
])
def test_csv_errors_name_file_line_and_field(tmp_path, row, field):
    path = tmp_path / "regs.csv"
    good = "fictional-0,candidate,City,local,XR,ex@1,1.0,,,\n"
    path.write_text(HEADER + good + row + "\n", encoding="utf-8")
    with pytest.raises(RegistryFileError) as err:
        load_designations(path)
    assert (err.value.line, err.value.field) == (3, field)
    assert str(err.value).startswith(f"{path}:3: field {field}:") and "(fix: " in str(err.value)


def test_csv_missing_required_column(tmp_path):
    path = tmp_path / "regs.csv"
    path.write_text("account_id,role,body,level\nfictional-1,candidate,City,local\n", encoding="utf-8")
    with pytest.raises(RegistryFileError, match=r"regs.csv:1: field source: header row lacks"):
        load_designations(path)


@pytest.mark.parametrize("line, field", [
    (('{"account_id": "f-1", "role": "candidate", "body": "City", "level": "local", "source": "ex@1", '
      '"vaild_until": "2026-11-03"}'), "vaild_until"),
    ('{"account_id": 42, "role": "candidate", "body": "City", "level": "local", "source": "ex@1"}', "account_id"),
    ('{"account_id": "f-1", "role": "candidate", "body": "City", "level": "local"}', "source"),
    (('{"account_id": "f-1", "role": "candidate", "body": "City", "level": "local", "source": "ex@1", '
      '"confidence": 2}'), "confidence"),
    ('{"account_id": "f-1", "role": "candidate",', None),
])
def test_jsonl_errors_name_file_line_and_field(tmp_path, line, field):
    path = tmp_path / "regs.jsonl"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(RegistryFileError) as err:
        load_designations(path)
    assert (err.value.line, err.value.field) == (5, field)
    assert str(err.value).startswith(f"{path}:5")


def test_unknown_format(tmp_path):
    path = tmp_path / "regs.xlsx"
    path.write_text("", encoding="utf-8")
    with pytest.raises(RegistryFileError, match="use .jsonl or .csv"):
        load_designations(path)


# --- registry show -------------------------------------------------------------------------


def test_explain_lists_designations_with_provenance_and_the_assessment():
    [party, candidate, mayor] = load_designations(EXAMPLE)
    author = Account(account_id=candidate.account_id, followers=250_000, verified=True, verified_type="blue")
    text = explain(candidate.account_id, [party, candidate, mayor], author, AT, POLICY)
    assert candidate.source in text and "2026-09-01 to 2026-11-03 (NOT current at 2026-11-22)" in text
    assert party.source not in text  # another account's designation
    assert "eligible=False" in text and "candidacy closed on 2026-11-03" in text
    assert "250,000 followers" in text


def test_explain_without_profile():
    [_, _, mayor] = load_designations(EXAMPLE)
    text = explain(mayor.account_id, [mayor], None, AT, POLICY)
    assert "profile: unknown" in text and "eligible=False" in text and "role=elected_or_appointed_official" in text
