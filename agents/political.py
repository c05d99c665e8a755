"""High-profile political account detection for the public-interest exception (PIE).

Policy matrix section 2: a post is PIE-eligible only when its author is high profile
(verified and more than `Policy.follower_threshold` followers) AND represents a current
or potential member of a governmental or legislative body (official, candidate, party).

Input: the author's latest profile snapshot, the registry designations for the author's
account id (matched by id, never by handle: handles change hands), the post time and
the Policy. Output: a `PoliticalStatus` naming the winning signal's provenance, with one
reason per check for reviewers and the audit. Pure and deterministic: no I/O, no clients.

Signals, strongest first:

1. Registry designations current at the post time (official lists; confidence as given).
2. Platform labels (confidence 0.9). Label -> role: see `LABEL_ROLES`. Labels that look
   political but are not an office (state-affiliated media, government institutions,
   parody) are listed in `LABEL_NOT_POLITICAL` and never make an account political.
3. `verified_type == "government"` (confidence 0.8, needs confirmation): the platform's
   government check also covers agencies and embassies, which hold no office.
4. Role statements in the bio, en/es/fr/de/pt/it (confidence 0.5-0.6, needs
   confirmation), with guards against "former", "ex-", "intern for", "parody", ... A
   registry entry whose term ended silences bio claims of the same role (stale bios).
   Display names and handles are not read: anyone can type "Senator" there.

Automation only recommends (matrix section 3): `eligible` routes a post to secondary
review, and `needs_confirmation` tells the reviewer the political part is a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agents.policy import Policy
from agents.records import Account, Designation

OFFICIAL = "elected_or_appointed_official"
CANDIDATE = "candidate"
PARTY = "political_party"
_ROLE_ORDER = {OFFICIAL: 0, CANDIDATE: 1, PARTY: 2}
_TERM_WORD = {OFFICIAL: "term", CANDIDATE: "candidacy", PARTY: "registration"}
_ENDED = {OFFICIAL: "term ended", CANDIDATE: "candidacy closed", PARTY: "registration ended"}

LABEL_CONFIDENCE = 0.9
GOVERNMENT_VERIFIED_CONFIDENCE = 0.8

#: Platform labels that say the account holds, seeks or is a political office.
LABEL_ROLES: dict[str, str] = {
    "government_official": OFFICIAL,
    "head_of_state": OFFICIAL,
    "head_of_government": OFFICIAL,
    "elected_official": OFFICIAL,
    "legislator": OFFICIAL,
    "election_candidate": CANDIDATE,
    "political_candidate": CANDIDATE,
    "political_party": PARTY,
}

_STATE_MEDIA = "state-affiliated media is not a political office"
#: Labels that look political but are not; they never make an account PIE-eligible.
LABEL_NOT_POLITICAL: dict[str, str] = {
    "state_affiliated": _STATE_MEDIA,
    "state_affiliated_media": _STATE_MEDIA,
    "government_affiliated_media": _STATE_MEDIA,
    "state_controlled_media": _STATE_MEDIA,
    "government_organization": "a government institution holds no office; add a registry "
    "designation if it speaks for an office holder",
    "parody": "parody account: does not speak for the person it depicts",
    "parody_account": "parody account: does not speak for the person it depicts",
    "fan_account": "fan account: does not speak for the person it depicts",
    "commentary_account": "commentary account: does not speak for the person it depicts",
}
_LABEL_SEPARATORS = re.compile(r"[\s\-]+")
_BIO_VETO_LABELS = frozenset({"parody", "parody_account", "fan_account", "commentary_account"})


@dataclass(frozen=True, slots=True)
class PoliticalStatus:
    """Whether an author is PIE-eligible at a time, which signal said so, and why."""

    eligible: bool  #: high_profile and political (role not None)
    high_profile: bool
    role: str | None  #: one of records.ROLES, or None
    source: str | None  #: provenance of the winning signal, e.g. "registry:congress-legislators@dfa96222"
    confidence: float  #: of the political signal (0 when none)
    needs_confirmation: bool  #: only weak signals say political: a suggestion for a human
    designation: Designation | None  #: the registry entry that won, if any
    reasons: tuple[str, ...]  #: one human-readable line per check

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "high_profile": self.high_profile,
            "role": self.role,
            "source": self.source,
            "confidence": self.confidence,
            "needs_confirmation": self.needs_confirmation,
            "reasons": list(self.reasons),
            "designation": self.designation.to_dict() if self.designation else None,
        }


@dataclass(frozen=True, slots=True)
class _Signal:
    """One piece of evidence that the account is political; lower tier wins."""

    tier: int  #: 0 registry, 1 platform label, 2 government verification, 3 bio
    role: str
    source: str
    confidence: float
    weak: bool
    designation: Designation | None = None

    def rank(self) -> tuple[int, float, int, str]:
        return (self.tier, -self.confidence, _ROLE_ORDER[self.role], self.source)


def is_high_profile(author: Account | None, policy: Policy) -> tuple[bool, str]:
    """Verified (when the policy requires it) and MORE than the threshold of followers."""
    threshold = f"{policy.follower_threshold:,}"
    if author is None:
        return False, "profile unknown: no account snapshot, so verification and followers cannot be checked"
    if author.followers is None:
        count_ok, count = False, f"follower count unknown (not reported; not read as zero), needs more than {threshold}"
    elif author.followers > policy.follower_threshold:
        count_ok, count = True, f"{author.followers:,} followers > {threshold}"
    else:
        count_ok, count = False, f"{author.followers:,} followers, not more than {threshold}"
    if author.verified:
        verified_ok, verified = True, f"verified ({author.verified_type})"
    else:
        verified_ok = not policy.require_verified
        verified = "not verified (required)" if policy.require_verified else "not verified (not required)"
    answer = count_ok and verified_ok
    return answer, f"{'high profile' if answer else 'not high profile'}: {verified}; {count}"


#: answers for authors with no designation: time plays no part in them, so every post of one profile
#: snapshot (the same object, as the registry's cache hands it out) under one policy gets the same one.
#: By id, the snapshot kept in the entry (so its id is not reused while there): hashing it cost ~2 us
_UNLISTED: dict[int, tuple[Account | None, str, PoliticalStatus]] = {}
UNLISTED_CACHE = 65_536  #: entries before the cache starts again: bounded memory


def assess(author: Account | None, designations: Sequence[Designation], at: str, policy: Policy) -> PoliticalStatus:
    """PIE eligibility of `author` at time `at` (the post's created_at)."""
    if designations:
        return _assess(author, designations, at, policy)
    entry = _UNLISTED.get(id(author))
    if entry is None or entry[0] is not author or entry[1] != policy.fingerprint:
        if len(_UNLISTED) >= UNLISTED_CACHE:
            _UNLISTED.clear()
        entry = _UNLISTED[id(author)] = (author, policy.fingerprint, _assess(author, (), at, policy))
    return entry[2]


def _assess(author: Account | None, designations: Sequence[Designation], at: str, policy: Policy) -> PoliticalStatus:
    high_profile, hp_reason = is_high_profile(author, policy)
    reasons = [hp_reason]
    if author is not None and author.observed_at:
        reasons.append(f"profile snapshot observed at {author.observed_at}")
    registry, registry_reasons, ended_roles = _registry_signals(author, designations, at)
    reasons += registry_reasons
    signals = list(registry)
    labels = _normalised_labels(author)
    if author is not None:
        platform, platform_reasons = _platform_signals(author, labels)
        signals += platform
        reasons += platform_reasons
        bio, bio_reasons = _bio_signals(author.bio, labels, ended_roles)
        signals += bio
        reasons += bio_reasons
    winner = min(signals, key=_Signal.rank) if signals else None
    if winner is None:
        reasons.append("no political signal: no current registry designation, no political platform label, "
                       "no government verification, no role statement in the bio")
        return PoliticalStatus(False, high_profile, None, None, 0.0, False, None, tuple(reasons))
    eligible = high_profile
    verdict = (f"eligible for the public-interest exception: high profile and {winner.role} per {winner.source}"
               if eligible else f"not eligible: {winner.role} per {winner.source}, but not high profile")
    if winner.weak:
        verdict += "; political role needs human confirmation (weak signal only)"
    reasons.append(verdict)
    return PoliticalStatus(eligible, high_profile, winner.role, winner.source, winner.confidence, winner.weak,
                           winner.designation, tuple(reasons))


def _registry_signals(author: Account | None, designations: Sequence[Designation],
                      at: str) -> tuple[list[_Signal], list[str], set[str]]:
    """Current designations become signals; the others are explained (term ended, not started)."""
    day = at[:10]
    signals: list[_Signal] = []
    reasons: list[str] = []
    ended_roles: set[str] = set()
    if designations:
        reasons.append("handles are not trusted: registry matched by account id only")
    for d in sorted(designations, key=_designation_key):
        if author is not None and d.account_id != author.account_id:
            reasons.append(f"registry: designation for account {d.account_id} ignored, author is {author.account_id}")
            continue
        what = _describe(d)
        if d.current_at(at):
            signals.append(_Signal(0, d.role, f"registry:{d.source}", d.confidence, False, d))
            reasons.append(f"registry: {what}, {_TERM_WORD[d.role]} {d.valid_from or '?'} to "
                           f"{d.valid_until or 'open'}, current at {day} [{d.source}]")
        elif d.valid_from and day < d.valid_from[:10]:
            reasons.append(f"registry: {what}, {_TERM_WORD[d.role]} starts on {d.valid_from}, "
                           f"not yet current at {day} [{d.source}]")
        else:
            ended_roles.add(d.role)
            reasons.append(f"registry: {what}, {_ENDED[d.role]} on {d.valid_until}, "
                           f"not current at {day} [{d.source}]")
    if not designations:
        reasons.append("registry: no designation for this account id")
    return signals, reasons, ended_roles



def _designation_key(d: Designation) -> tuple[str, ...]:
    return (d.account_id, d.role, d.body, d.jurisdiction, d.valid_from or "", d.valid_until or "", d.source)


def _describe(d: Designation) -> str:
    who = f"{d.person}, " if d.person else ""
    where = f" {d.jurisdiction}" if d.jurisdiction else ""
    return f"{who}{d.role} of {d.body}{where} ({d.level})"


def _normalised_labels(author: Account | None) -> tuple[str, ...]:
    if author is None:
        return ()
    return tuple(sorted({_LABEL_SEPARATORS.sub("_", label.strip().lower()) for label in author.labels}))


def _platform_signals(author: Account, labels: tuple[str, ...]) -> tuple[list[_Signal], list[str]]:
    """Platform labels and government verification; see LABEL_ROLES and LABEL_NOT_POLITICAL."""
    signals: list[_Signal] = []
    reasons: list[str] = []
    other: list[str] = []
    for label in labels:
        if label in LABEL_ROLES:
            signals.append(_Signal(1, LABEL_ROLES[label], f"label:{label}", LABEL_CONFIDENCE, False))
            reasons.append(f"platform label {label}: {LABEL_ROLES[label]}")
        elif label in LABEL_NOT_POLITICAL:
            reasons.append(f"platform label {label} ignored: {LABEL_NOT_POLITICAL[label]}")
        else:
            other.append(label)
    if other:
        reasons.append(f"platform labels with no political meaning: {', '.join(other)}")
    if author.verified_type == "government":
        signals.append(_Signal(2, OFFICIAL, "verified_type:government", GOVERNMENT_VERIFIED_CONFIDENCE, True))
        reasons.append("verified_type government: the platform says government account; agencies and "
                       "embassies hold no office, so the role needs confirmation")
    return signals, reasons


# --- bio statements --------------------------------------------------------------------

_BIO_CONFIDENCE = {OFFICIAL: 0.6, CANDIDATE: 0.5, PARTY: 0.6}

_OFFICE_EN = (r"(?:the\s+)?(?:U\.?S\.?\s+|state\s+|city\s+|county\s+)?(?:congress|senate|house|assembly|parliament|"
              r"legislature|mayor|governor|lieutenant\s+governor|attorney\s+general|president|council|"
              r"commission|school\s+board|sheriff|(?:public\s+)?office|re-?election|[A-Z][a-z]+['’]s\s+\d+\w*\s+"
              r"(?:congressional\s+)?district)\b")

#: (source key "lang:name", role, pattern). Several languages share a spelling: keyed "es/pt:...".
_BIO_PATTERN_TABLE: tuple[tuple[str, str, str], ...] = (
    ("en:senator_for", OFFICIAL, r"\bsenator\s+(?:for|from|of)\b"),
    ("en:us_senator", OFFICIAL, r"\b(?:U\.?\s?S\.?|United\s+States|state)\s+senator\b"),
    ("en:member_of_parliament", OFFICIAL,
     r"\bmember\s+of\s+(?:the\s+)?(?:european\s+|scottish\s+|welsh\s+)?parliament\b"),
    ("en:mp_for", OFFICIAL, r"(?-i:(?<!Military )\bMP\s+for\s+(?=[A-Z]))"),
    ("en:mep", OFFICIAL, r"(?-i:\bMEP\b)"),
    ("en:member_of_congress", OFFICIAL, r"\b(?:member\s+of\s+congress|congress(?:man|woman|member))\b"),
    ("en:representative_for", OFFICIAL, r"\brepresentative\s+(?:for|from)\b"),
    ("en:minister_of", OFFICIAL,
     r"\bminister\s+(?:of|for)\s+(?!(?:the\s+)?(?:gospel|word|music|worship|youth|god|christ|jesus|praise)\b)(?=\w)"),
    ("en:mayor_of", OFFICIAL, r"\bmayor\s+of\b"),
    ("en:governor_of", OFFICIAL, r"\bgovernor\s+of\b"),
    ("en:councilmember", OFFICIAL, r"\bcity\s+council\s*(?:member|woman|man|lor)\b|\bcouncil(?:member|woman|man)\b"),
    ("en:candidate_for", CANDIDATE, rf"\b(?:candidate|nominee)\s+for\s+{_OFFICE_EN}"),
    ("en:running_for", CANDIDATE, rf"\brunning\s+for\s+{_OFFICE_EN}"),
    ("en:official_party_account", PARTY,
     r"\bofficial\s+(?:account|page|profile|twitter)\s+of\s+the\s+(?:[\w'’\-]+\s+){0,5}party\b"),
    ("es:diputado", OFFICIAL, r"\bdiputad[oa]\s+(?:por|de|del|nacional|federal|local|al|a\s+la)\b"),
    ("es/pt:senador", OFFICIAL, r"\bsenador(?:a)?\s+(?:por|de|del|do|da)\b"),
    ("es:alcalde_de", OFFICIAL, r"\balcalde(?:sa)?\s+de\b"),
    ("es/pt:gobernador_de", OFFICIAL, r"\bgo(?:b|v)ernador(?:a)?\s+(?:de|del|do|da)\b"),
    ("es/pt:ministro_de", OFFICIAL, r"\bministr[oa]\s+(?:de|del|do|da)\b"),
    ("es/pt/it:candidato_a", CANDIDATE,
     (r"\bcandidat[oa]\s+(?:a|al|alla|à)\s+(?:la\s+|el\s+)?(?:alcald|presiden|gobern|govern|diputad|deputad|senad|"
      r"concej|congres|asamblea|parlamento|prefeit|vereador|sindac|camera|regione)")),
    ("es:cuenta_oficial_partido", PARTY, r"\bcuenta\s+oficial\s+del?\s+(?:\S+\s+){0,2}partido\b"),
    ("fr:senateur", OFFICIAL, r"\bs[ée]nat(?:eur|rice)\s+(?:de|du|des|d['’]|pour)"),
    ("fr:depute", OFFICIAL, r"\bd[ée]put[ée]e?\s+(?:de|du|des|d['’]|europ[ée]en|de\s+la)"),
    ("fr:maire_de", OFFICIAL, r"\bmaire\s+(?:de|du|des|d['’])"),
    ("fr:ministre", OFFICIAL, r"\bministre\s+(?:de|du|des|d['’]|chargée?)"),
    ("fr:candidat_a", CANDIDATE,
     (r"\bcandidate?\s+(?:à|aux)\s+(?:la\s+|l['’])?(?:mairie|présidentielle|présidence|législatives|municipales|"
      r"sénatoriales|européennes|élection)")),
    ("fr:compte_officiel_parti", PARTY,
     r"\bcompte\s+officiel\s+(?:du|de\s+la|de)\s+(?:\S+\s+){0,2}(?:parti|mouvement)\b"),
    ("de:buergermeister", OFFICIAL, r"\b(?:ober)?bürgermeister(?:in)?\s+(?:von|der|des|in)\b"),
    ("de:abgeordnete", OFFICIAL, r"\babgeordnete[rn]?\s+(?:im|des|der|für)\b"),
    ("de:mdb", OFFICIAL, r"(?-i:\bMd(?:B|L|EP|A)\b)"),
    ("de:minister", OFFICIAL, r"\b(?:bundes|landes|staats)?minister(?:in)?\s+(?:für|der|des)\b"),
    ("de:kandidat", CANDIDATE, r"\b(?:direkt|spitzen|ob-)?kandidat(?:in)?\s+(?:für|zur|zum|der|im)\b"),
    ("de:offizieller_account_partei", PARTY,
     r"\boffizielle[rs]?\s+(?:account|profil|kanal)\s+(?:der|des)\s+(?:\S+\s+){0,2}\w*partei\b"),
    ("pt:prefeito", OFFICIAL, r"\bprefeit[oa]\s+(?:de|do|da)\b"),
    ("pt:deputado", OFFICIAL, r"\bdeputad[oa]\s+(?:federal|estadual|distrital|por|de|do|da)\b"),
    ("pt:vereador", OFFICIAL, r"\bvereador(?:a)?\b"),
    ("pt:perfil_oficial_partido", PARTY, r"\b(?:perfil|conta)\s+oficial\s+(?:do|da)\s+(?:\S+\s+){0,2}partido\b"),
    ("it:deputato", OFFICIAL, r"\bdeputat[oa]\b"),
    ("it:senatore", OFFICIAL, r"\bsenat(?:ore|rice)\b"),
    ("it:sindaco", OFFICIAL, r"\bsindac[oa]\s+(?:di|del|della|dell['’])"),
    ("it:ministro", OFFICIAL, r"\bministr[oa]\s+(?:di|della|del|dell['’]|per)\b"),
    ("it:account_ufficiale_partito", PARTY,
     r"\b(?:account|profilo|pagina)\s+ufficiale\s+(?:del|della)\s+(?:\S+\s+){0,2}partito\b"),
)

_BIO_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (key, role, re.compile(rx, re.IGNORECASE)) for key, role, rx in _BIO_PATTERN_TABLE
)

#: Anywhere in the bio: the account does not speak for an office holder.
_BIO_VETO = re.compile(
    r"\b(?:parody|satire|satirical|fan\s*(?:account|page|club)|fanpage|not\s+affiliated|unaffiliated|unofficial|"
    r"not\s+(?:the\s+)?(?:real|official)|impersonat\w*|fake\s+account|parodie|parodia|par[óo]dia|s[áa]tira|"
    r"satirisch\w*|no\s+oficial|non\s+officiel(?:le)?|inoffiziell\w*|n[ãa]o\s+oficial|non\s+ufficiale)\b",
    re.IGNORECASE,
)

#: Words that, in the same clause before a role, show it is not the account holder's current role.
_NOT_OWN_ROLE = {
    "a sought role": "running candidate candidat candidata candidato kandidat kandidatin nominee campaign "
                     "campaigning aspiring wannabe future",
    "a past role": "former formerly fmr ex retired past onetime antiguo antigua jubilado jubilada retirado retirada "
                   "ancien ancienne retraité retraitée ehemalige ehemaliger ehemaligen ehem pensioniert antigo antiga "
                   "aposentado aposentada già pensionato pensionata",
    "someone else's role": "fan fans intern interns aide staffer staff assistant volunteer supporter supporters "
                           "advisor adviser spokesperson wife husband son daughter spouse asesor asesora esposa "
                           "esposo hijo hija becario becaria voluntario voluntaria assistante attaché attachée "
                           "collaborateur collaboratrice stagiaire épouse époux fils fille praktikant praktikantin "
                           "mitarbeiter mitarbeiterin referent referentin ehefrau ehemann sohn tochter assessor "
                           "assessora estagiário estagiária marido filho filha fã assistente collaboratore "
                           "collaboratrice stagista moglie marito figlio figlia tifoso tifosa",
    "a denial": "not never no nunca pas jamais kein keine nicht nie não non mai",
}
_NOT_OWN_ROLE_KIND = {word: kind for kind, words in _NOT_OWN_ROLE.items() for word in words.split()}
_PREFIX_VETO = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _NOT_OWN_ROLE_KIND), key=lambda w: (-len(w), w))) + r")\b",
    re.IGNORECASE,
)
#: Directly before the role even across "." or "-": "Fmr. Mayor of", "Ex-Mayor of".
_IMMEDIATE_VETO = re.compile(r"\b(?:former|fmr|ex|retired|ancienne?|ehem(?:alige[rn]?)?|antig[uo]a?|già)\W*$",
                             re.IGNORECASE)
#: Right after the role: a possessive ("senator's intern").
_POSSESSIVE = re.compile(r"^['’]s\b")
#: Later in the same clause: a retirement marker ("Bürgermeister a. D.", "MP (retired)").
_RETIRED_AFTER = re.compile(r"\b(?:retired|emeritus|in\s+pensione|aposentad[oa]|retraitée?|jubilad[oa]|a\.\s?D|"
                            r"i\.\s?R)\b|\(ret\.?\)", re.IGNORECASE)
#: Clause boundaries; a dot after a single letter ("U.S.", "a. D.") is an abbreviation, not a break.
_CLAUSE_BREAK = re.compile(r"[|•·;,!?\n]|(?<!\b\w)\.\s|\s[-–—]\s")


def _bio_signals(bio: str, labels: tuple[str, ...], ended_roles: set[str]) -> tuple[list[_Signal], list[str]]:
    """Role statements in the bio: weak (needs confirmation), and guarded against false positives."""
    if not bio.strip():
        return [], ["bio: empty"]
    veto = _BIO_VETO.search(bio)
    if veto:
        return [], [f"bio says {veto.group(0)!r}: bio statements ignored"]
    vetoing_labels = _BIO_VETO_LABELS.intersection(labels)
    signals: list[_Signal] = []
    reasons: list[str] = []
    for key, role, pattern in _BIO_PATTERNS:
        match = pattern.search(bio)
        if match is None:
            continue
        said = match.group(0).strip()
        why_not = _why_not_own_role(bio, match.start(), match.end())
        if why_not:
            reasons.append(f"bio {key} {said!r} ignored: {why_not}")
        elif vetoing_labels:
            reasons.append(f"bio {key} {said!r} ignored: platform label {min(vetoing_labels)}")
        elif role in ended_roles:
            reasons.append(f"bio {key} {said!r} ignored: the registry says the {_TERM_WORD[role]} ended")
        else:
            signals.append(_Signal(3, role, f"bio:{key}", _BIO_CONFIDENCE[role], True))
            reasons.append(f"bio {key} {said!r}: suggests {role} (weak, needs confirmation)")
    if not signals and not reasons:
        reasons.append("bio: no statement of a political role")
    return signals, reasons


def _why_not_own_role(bio: str, start: int, end: int) -> str | None:
    """Why a role statement does not describe the account holder's current role, or None."""
    before = bio[:start]
    immediate = _IMMEDIATE_VETO.search(before)
    if immediate:
        return f"preceded by {immediate.group(0).strip()!r}"
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    prefix = _PREFIX_VETO.search(clause)
    if prefix:
        word = prefix.group(0)
        return f"same clause says {word!r} ({_NOT_OWN_ROLE_KIND.get(word.lower(), 'a guard word')})"
    rest = bio[end:]
    if _POSSESSIVE.search(rest):
        return "followed by a possessive: someone else's role"
    next_break = _CLAUSE_BREAK.search(rest)
    retired = _RETIRED_AFTER.search(rest[:next_break.start()] if next_break else rest)
    if retired:
        return f"same clause says {retired.group(0)!r}"
    return None
