"""PIE eligibility: high profile AND political, with the provenance of the winning signal."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from agents.policy import Policy
from agents.political import LABEL_NOT_POLITICAL, LABEL_ROLES, PoliticalStatus, assess, is_high_profile
from agents.records import Account, Designation

AT = "2026-11-22T12:00:00Z"
POLICY = Policy()
OFFICIAL, CANDIDATE, PARTY = "elected_or_appointed_official", "candidate", "political_party"


def account(**kw) -> Account:
    base = {"account_id": "1001", "handle": "someone", "followers": 200_000, "verified": True, "verified_type": "blue"}
    return Account(**(base | kw))


def senator(**kw) -> Designation:
    base = {"account_id": "1001", "role": OFFICIAL, "body": "US Senate", "level": "national", "jurisdiction": "US-VT",
            "source": "congress-legislators@dfa96222", "valid_from": "2025-01-03", "valid_until": "2031-01-03",
            "person": "Example Senator"}
    return Designation(**(base | kw))


def joined(status: PoliticalStatus) -> str:
    return "\n".join(status.reasons)


# --- high profile -------------------------------------------------------------------------


@pytest.mark.parametrize("followers, expected", [(100_000, False), (100_001, True), (99_999, False)])
def test_threshold_is_more_than(followers, expected):
    answer, reason = is_high_profile(account(followers=followers), POLICY)
    assert answer is expected
    assert f"{followers:,}" in reason and "100,000" in reason


def test_unverified_with_ten_million_followers_is_not_high_profile():
    answer, reason = is_high_profile(account(verified=False, verified_type="none", followers=10_000_000), POLICY)
    assert not answer
    assert "not verified" in reason and "10,000,000" in reason


def test_verification_not_required_when_policy_says_so():
    answer, _ = is_high_profile(account(verified=False, followers=150_000), Policy(require_verified=False))
    assert answer


def test_threshold_comes_from_policy():
    assert not is_high_profile(account(followers=200_000), Policy(follower_threshold=500_000))[0]


def test_unknown_followers_is_unknown_not_zero():
    answer, reason = is_high_profile(account(followers=None), POLICY)
    assert not answer
    assert "unknown" in reason and "0 followers" not in reason


def test_no_profile_snapshot():
    status = assess(None, (senator(),), AT, POLICY)
    assert not status.high_profile and not status.eligible
    assert status.role == OFFICIAL  # the registry still says who they are (used for mentions)
    assert "profile unknown" in status.reasons[0]


# --- registry ----------------------------------------------------------------------------


def test_current_registry_designation_is_eligible_with_provenance():
    status = assess(account(), (senator(),), AT, POLICY)
    assert status.eligible and status.high_profile
    assert status.role == OFFICIAL
    assert status.source == "registry:congress-legislators@dfa96222"
    assert status.confidence == 1.0 and not status.needs_confirmation
    assert status.designation == senator()
    assert "current at 2026-11-22" in joined(status)


def test_term_ended_is_not_current_and_says_when():
    status = assess(account(), (senator(valid_from="2019-01-03", valid_until="2025-01-03"),), AT, POLICY)
    assert not status.eligible and status.role is None
    assert "term ended on 2025-01-03" in joined(status)


def test_candidacy_closed_after_election():
    cand = senator(role=CANDIDATE, body="Springfield City Council", level="local",
                   valid_from="2026-09-01", valid_until="2026-11-03")
    during = assess(account(), (cand,), "2026-10-15T09:00:00Z", POLICY)
    after = assess(account(), (cand,), AT, POLICY)
    assert during.eligible and during.role == CANDIDATE
    assert not after.eligible and "candidacy closed on 2026-11-03" in joined(after)


def test_term_not_started_yet():
    status = assess(account(), (senator(valid_from="2027-01-03", valid_until="2033-01-03"),), AT, POLICY)
    assert not status.eligible and "starts on 2027-01-03" in joined(status)


def test_last_day_of_term_is_current():
    assert assess(account(), (senator(valid_until="2026-11-22"),), AT, POLICY).eligible


def test_designation_for_another_account_is_ignored():
    status = assess(account(), (senator(account_id="999"),), AT, POLICY)
    assert not status.eligible and "ignored" in joined(status)


def test_handle_change_does_not_matter():
    before = assess(account(handle="SenExample"), (senator(),), AT, POLICY)
    after = assess(account(handle="totally_new_name"), (senator(),), AT, POLICY)
    assert before == after
    assert "matched by account id only" in joined(after)


def test_handle_alone_never_makes_an_account_political():
    status = assess(account(account_id="2002", handle="SenExample", display_name="Senator Example"), (), AT, POLICY)
    assert status.role is None


def test_registry_beats_weaker_signals():
    status = assess(account(labels=("election_candidate",), bio="Candidate for Governor"), (senator(),), AT, POLICY)
    assert status.source.startswith("registry:") and status.role == OFFICIAL


def test_ended_registry_term_overrides_a_stale_bio():
    status = assess(account(bio="Senator for Vermont"), (senator(valid_until="2025-01-03"),), AT, POLICY)
    assert status.role is None
    assert "registry says the term ended" in joined(status)


# --- high profile x political --------------------------------------------------------------


def test_verified_million_followers_but_not_political_is_not_eligible():
    status = assess(account(followers=1_000_000, bio="Chef. Dad. Opinions my own."), (), AT, POLICY)
    assert status.high_profile and not status.eligible
    assert status.role is None and status.source is None and status.confidence == 0.0
    assert "no political signal" in status.reasons[-1]


def test_political_but_below_threshold_is_not_eligible():
    status = assess(account(followers=100_000), (senator(),), AT, POLICY)
    assert status.role == OFFICIAL and not status.eligible
    assert "not more than 100,000" in status.reasons[0]


def test_unverified_official_with_ten_million_followers_is_not_eligible():
    status = assess(account(verified=False, verified_type="none", followers=10_000_000), (senator(),), AT, POLICY)
    assert not status.eligible and status.role == OFFICIAL


# --- platform signals ----------------------------------------------------------------------


@pytest.mark.parametrize("label, role", sorted(LABEL_ROLES.items()))
def test_platform_labels(label, role):
    status = assess(account(labels=(label,)), (), AT, POLICY)
    assert status.eligible and status.role == role
    assert status.source == f"label:{label}" and not status.needs_confirmation


def test_labels_are_normalised():
    assert assess(account(labels=("Head-Of-State",)), (), AT, POLICY).source == "label:head_of_state"


@pytest.mark.parametrize("label", sorted(LABEL_NOT_POLITICAL))
def test_look_alike_labels_are_not_political(label):
    status = assess(account(labels=(label,)), (), AT, POLICY)
    assert status.role is None and not status.eligible
    assert f"platform label {label} ignored" in joined(status)


def test_state_affiliated_media_is_not_a_political_office():
    status = assess(account(labels=("state_affiliated_media",), followers=5_000_000), (), AT, POLICY)
    assert not status.eligible and "not a political office" in joined(status)


def test_government_verification_needs_confirmation():
    status = assess(account(verified_type="government"), (), AT, POLICY)
    assert status.eligible and status.role == OFFICIAL
    assert status.source == "verified_type:government" and status.needs_confirmation


def test_label_beats_government_verification():
    status = assess(account(verified_type="government", labels=("head_of_state",)), (), AT, POLICY)
    assert status.source == "label:head_of_state" and not status.needs_confirmation


def test_parody_label_silences_the_bio():
    status = assess(account(labels=("parody",), bio="Mayor of Springfield"), (), AT, POLICY)
    assert status.role is None


# --- bio statements ------------------------------------------------------------------------


@pytest.mark.parametrize("bio, role, key", [
    ("Senator for Vermont. Proud dad.", OFFICIAL, "en:senator_for"),
    ("Husband, father, U.S. Senator", OFFICIAL, "en:us_senator"),
    ("MP for Bath and Wells", OFFICIAL, "en:mp_for"),
    ("Member of Parliament", OFFICIAL, "en:member_of_parliament"),
    ("Minister of Finance", OFFICIAL, "en:minister_of"),
    ("Mayor of Springfield", OFFICIAL, "en:mayor_of"),
    ("Governor of Ohio", OFFICIAL, "en:governor_of"),
    ("Candidate for Congress, OH-9", CANDIDATE, "en:candidate_for"),
    ("Running for Mayor of Springfield", CANDIDATE, "en:running_for"),
    ("Official account of the Green Party of Ruritania", PARTY, "en:official_party_account"),
    ("Diputada por Madrid", OFFICIAL, "es:diputado"),
    ("Alcalde de Sevilla", OFFICIAL, "es:alcalde_de"),
    ("Candidata a la alcaldía de Bogotá", CANDIDATE, "es/pt/it:candidato_a"),
    ("Cuenta oficial del Partido Verde", PARTY, "es:cuenta_oficial_partido"),
    ("Sénatrice de Paris", OFFICIAL, "fr:senateur"),
    ("Député de la Gironde", OFFICIAL, "fr:depute"),
    ("Maire de Lyon", OFFICIAL, "fr:maire_de"),
    ("Candidat à la mairie de Lyon", CANDIDATE, "fr:candidat_a"),
    ("Compte officiel du Parti socialiste", PARTY, "fr:compte_officiel_parti"),
    ("Oberbürgermeisterin von Musterstadt", OFFICIAL, "de:buergermeister"),
    ("Abgeordneter im Deutschen Bundestag", OFFICIAL, "de:abgeordnete"),
    ("MdB, SPD", OFFICIAL, "de:mdb"),
    ("Kandidat für den Bundestag", CANDIDATE, "de:kandidat"),
    ("Offizieller Account der Piratenpartei", PARTY, "de:offizieller_account_partei"),
    ("Prefeito de São Paulo", OFFICIAL, "pt:prefeito"),
    ("Deputada federal por Minas", OFFICIAL, "pt:deputado"),
    ("Perfil oficial do Partido Novo", PARTY, "pt:perfil_oficial_partido"),
    ("Deputato al Parlamento", OFFICIAL, "it:deputato"),
    ("Sindaca di Torino", OFFICIAL, "it:sindaco"),
    ("Account ufficiale del Partito Democratico", PARTY, "it:account_ufficiale_partito"),
])
def test_bio_statements_are_weak_signals(bio, role, key):
    status = assess(account(bio=bio), (), AT, POLICY)
    assert status.role == role and status.source == f"bio:{key}"
    assert status.needs_confirmation and status.eligible
    assert 0 < status.confidence < 0.8


@pytest.mark.parametrize("bio", [
    "Former Senator for Vermont",
    "Fmr. Mayor of Springfield",
    "Ex-Mayor of Springfield",
    "Biggest fan of the Mayor of Springfield",
    "Intern for U.S. Senator from Ohio",
    "U.S. Senator's intern",
    "Retired MP for Bath",
    "Member of Parliament for Bath (retired)",
    "Parody account of the Mayor of Springfield",
    "Satire. Governor of Ohio (not really)",
    "Not affiliated with the Senator for Ohio",
    "Minister of the Gospel",
    "PhD candidate for a degree in physics",
    "Running for a cure",
    "Military MP for life",
    "Ex diputado por Madrid",
    "Exalcalde de Sevilla",
    "Cuenta no oficial. Alcalde de Sevilla",
    "Ancienne députée de la Gironde",
    "Stagiaire du député de Paris",
    "Parodie: Maire de Lyon",
    "Bürgermeister von Musterstadt a. D.",
    "Ehemaliger Abgeordneter im Bundestag",
    "Ex-prefeito de Curitiba",
    "Assessora do deputado federal por Minas",
    "Già sindaco di Roma",
    "Satira: Sindaco di Roma",
])
def test_bio_false_positives(bio):
    status = assess(account(bio=bio), (), AT, POLICY)
    assert status.role is None, joined(status)
    assert not status.eligible


def test_sought_office_is_not_held_office():
    status = assess(account(bio="Running for Mayor of Springfield"), (), AT, POLICY)
    assert status.role == CANDIDATE
    assert "'Mayor of' ignored" in joined(status)


# --- output -------------------------------------------------------------------------------


def test_deterministic_and_serialisable():
    author = account(bio="Mayor of Springfield. Candidate for Governor", labels=("verified_org", "government_official"),
                     verified_type="government")
    designations = (senator(valid_until="2025-01-03"), senator(role=CANDIDATE, valid_until="2026-11-03"))
    first = assess(author, designations, AT, POLICY)
    assert all(assess(author, tuple(reversed(designations)), AT, POLICY) == first for _ in range(3))
    data = first.to_dict()
    assert set(data) == {"eligible", "high_profile", "role", "source", "confidence", "needs_confirmation",
                         "reasons", "designation"}
    assert json.loads(json.dumps(data)) == data
    assert data["source"] == "label:government_official"


def test_to_dict_includes_designation():
    assert assess(account(), (senator(),), AT, POLICY).to_dict()["designation"] == senator().to_dict()


def test_status_is_frozen():
    status = assess(account(), (), AT, POLICY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.eligible = True  # type: ignore[misc]


def test_pure_module_imports_no_transport():
    import agents.political as mod

    source = Path(mod.__file__).read_text(encoding="utf-8")
    for banned in ("faust", "confluent_kafka", "redis", "open(", "pathlib"):
        assert banned not in source


def test_an_unlisted_authors_answer_is_reused_only_for_the_same_snapshot_and_policy():
    """No designation: the answer does not depend on the time, so it is kept per snapshot and policy."""
    from agents.political import _assess

    author = account(bio="Mayor of Springfield", labels=("government_official",))
    first = assess(author, (), AT, POLICY)
    assert first == _assess(author, (), AT, POLICY)
    assert assess(author, (), "2027-01-01T00:00:00Z", POLICY) is first
    strict = Policy(follower_threshold=10_000_000)
    assert assess(author, (), AT, strict) == _assess(author, (), AT, strict) != first
    fewer = dataclasses.replace(author, followers=10)
    assert assess(fewer, (), AT, POLICY) == _assess(fewer, (), AT, POLICY) != first
    assert assess(None, (), AT, POLICY) == _assess(None, (), AT, POLICY)
    assert assess(author, (senator(),), AT, POLICY) == _assess(author, (senator(),), AT, POLICY)
