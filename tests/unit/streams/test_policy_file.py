"""The policy file: the shipped default decides as the code did, errors name key and line,
invariants are refused, the version follows the content, and rule states act as documented."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest

from agents.classifier import TextClassifier
from agents.policy import DEFAULT_DAILY_CAPS, Policy
from agents.records import Post, Report
from agents.router import decide
from agents.tagger import Tagger
from streams.drivers import decide as decide_cmd
from streams.commands import sample
from streams.infra.config import Settings
from streams.infra.policy_file import PolicyFileError, dump, load, parse
from streams.infra.registry_import import load_seed

DEFAULT = Settings().policy_file
TEXT = DEFAULT.read_text()
SEED = load_seed(Settings().registry_seed)


def _legacy() -> Policy:
    """The policy as Settings.policy() built it before the file (the env-var defaults)."""
    return Policy(follower_threshold=100_000, severe_confidence=0.85, min_confidence=0.5, shadow_policies=frozenset(),
                  daily_caps={"remove": 50_000, "suspend_account": 2_000})


def _sample_cases(n: int) -> list[str]:
    """The sample firehose as `modstream decide` lines: each post with its author snapshot and reports."""
    accounts, out = {}, []
    for line in sample.generate(n, SEED, malformed=0):
        d = json.loads(line)
        if "account" in d:
            accounts[d["account"]["account_id"]] = d["account"]
        else:
            out.append(json.dumps({"post": d["post"], "author": accounts[d["post"]["author_id"]],
                                   "reports": d.get("reports", [])}))
    return out


def _decide_all(lines: list[str], policy: Policy, classifier) -> list[dict]:
    out = io.StringIO()
    registry = decide_cmd.index(SEED)
    # no time budget: this compares decisions, and a loaded machine must not turn one into an error line
    decide_cmd.run(lines, out, Tagger(policy, classifier=classifier), registry, policy, budget_seconds=0)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert not [r for r in rows if "error" in r]
    return rows


def test_the_shipped_file_decides_the_sample_firehose_exactly_as_the_old_construction():
    lines = _sample_cases(3000)
    clf = TextClassifier.load()
    old, new = _legacy(), load(DEFAULT).policy
    before, after = _decide_all(lines, old, clf), _decide_all(lines, new, clf)
    assert len(before) == len(after) == 3000
    routes = {d["route"] for d in after}
    assert {"no_action", "enforce", "public_interest_review"} <= routes and sum(len(d["actions"]) for d in after) > 100

    def unversioned(rows: list[dict], version: str) -> str:
        return json.dumps(rows, sort_keys=True).replace(version, "<version>")

    assert unversioned(after, new.version) == unversioned(before, old.version)
    assert new.version == old.version  # and the content is the same, so even the ids are


def test_dump_and_parse_round_trip_and_comments_do_not_change_the_version():
    p = load(DEFAULT).policy
    assert parse(dump(p)) == p
    assert parse("# a note\n" + TEXT.replace("label:", "# another\nlabel:")).version == p.version


def test_the_version_is_the_label_plus_a_digest_of_the_content():
    p = parse(TEXT)
    assert re.fullmatch(r"2026\.11\.1\+[0-9a-f]{16}", p.version) and p.version == f"{p.label}+{p.fingerprint}"
    stricter = parse(TEXT.replace("  severe: 0.85", "  severe: 0.9"))
    assert stricter.label == p.label and stricter.version != p.version
    relabelled = parse(TEXT.replace('label: "2026.11.1"', 'label: "election-week"'))
    assert relabelled.version.startswith("election-week+") and relabelled.fingerprint != p.fingerprint
    # a changed notice text or a rule in shadow is a new version too (issue 14: it was not)
    assert parse(TEXT.replace("rules: {}", "rules: {threat_doom_rule: shadow}")).version != p.version
    assert parse(TEXT.replace("Thank you for your report", "Thanks for report", 1)).version != p.version


def _at(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize("old, new, message", [
    ("  severe: 0.85", "  severe: 1.5", r"line 23: confidence.severe: 1.5 is outside 0..1"),
    ("  follower_threshold: 100000", "  follower_threshold: lots",
     r"line 18: high_profile.follower_threshold: expected a whole number >= 0, got 'lots'"),
    ("  require_verified: true", "  require_verified: true\n  verified_only: true",
     r"line 20: high_profile.verified_only: unknown key; expected follower_threshold, require_verified"),
    ("    public_interest: never\n", "    public_interest: sometimes\n",
     r"line 42: categories.terrorism.public_interest: 'sometimes': expected one of never, unlikely"),
    ("rules: {}", "rules: {threat_made_up_rule: shadow}", r"refused: rules.threat_made_up_rule: is not a known"),
    ("rules: {}", "rules: {threat_doom_rule: sometimes}", r"rules.threat_doom_rule: 'sometimes': expected one of"),
    ("  copyright:\n", "  memes:\n", r"categories.memes: not a policy code the detectors know"),
    ("{post_id} broke", "{post} broke", r"refused: notices.author: placeholder \{post\} is not one of"),
    ("{post_id} broke", "{post_id.__class__} broke", r"placeholder \{post_id.__class__\} is not one of"),
    ("daily_caps:", "daily_caps: &caps", None),  # anchors are fine; aliases are not (below)
])
def test_errors_name_the_key_and_the_line(old, new, message):
    text = _at(TEXT, old, new)
    if message is None:
        parse(text)
        return
    with pytest.raises(PolicyFileError, match=message):
        parse(text, "policy.yaml")


def test_hostile_files_are_refused_cleanly():
    with pytest.raises(PolicyFileError, match="aliases"):
        parse("a: &x [1, 2]\nb: *x\n")
    with pytest.raises(PolicyFileError, match="at most"):
        parse("label: x\n" + "# pad\n" * 60_000)
    with pytest.raises(PolicyFileError, match="not valid YAML"):
        parse("label: [unclosed\n")
    with pytest.raises(PolicyFileError, match="appears twice"):
        parse(TEXT + "\nlabel: again\n")
    with pytest.raises(PolicyFileError, match="empty file"):
        parse("")


@pytest.mark.parametrize("old, new, reason", [
    ("    enforcement: [remove, suspend_account, report_ncmec]\n",
     "    enforcement: [remove, suspend_account, report_ncmec]\n    state: shadow\n",
     r"categories.child_sexual_exploitation.state: child_sexual_exploitation can never be in shadow mode"),
    ("rules: {}", "rules: {sexualised_minor_rule: off}",
     r"rules.sexualised_minor_rule: evidences child_sexual_exploitation: it can never be off"),
    ("classifier_heads: {}", "classifier_heads: {child_sexual_exploitation: shadow}", r"can never be shadow"),
    ("  suspend_account: 2000\n", "  suspend_account: 2000\n  report_ncmec: 10\n",
     r"line \d+: refused: daily_caps.report_ncmec: can never be capped"),
    ("    enforcement: [sensitive_media_warning]\n", "    enforcement: []\n",
     r"refused: categories.sensitive_media.enforcement: is empty: every category needs enforcement"),
    ("    mild_enforcement: [reduce_visibility]\n  abuse_harassment:",
     "    mild_enforcement: [public_interest_notice]\n  abuse_harassment:",
     r"categories.hateful_conduct.mild_enforcement: 'public_interest_notice' is never automated.*never grants"),
    ("  child_sexual_exploitation:\n    title: Child sexual exploitation\n    rule_url: "
     "https://help.x.com/en/rules-and-policies/sexual-exploitation-policy\n    public_interest: never\n"
     "    review_starts_from: remove\n    enforcement: [remove, suspend_account, report_ncmec]\n", "",
     r"categories: missing child_sexual_exploitation"),
])
def test_a_file_breaking_an_invariant_is_refused_with_the_reason(old, new, reason):
    with pytest.raises(PolicyFileError, match=reason):
        parse(_at(TEXT, old, new), "policy.yaml")


def test_invariants_hold_for_policies_built_in_code_too():
    with pytest.raises(ValueError, match="never be capped"):
        Policy(daily_caps={**DEFAULT_DAILY_CAPS, "report_ncmec": 1})
    with pytest.raises(ValueError, match="never be shadow"):
        Policy(head_states={"child_sexual_exploitation": "shadow"})
    with pytest.raises(ValueError, match="never automated"):
        cats = dict(Policy().categories)
        cats["copyright"] = replace(cats["copyright"], enforcement=("remove", "restore"))
        Policy(categories=cats)


T0 = "2026-11-20T12:00:00Z"
THREAT = Post("p1", "9001", "I know where you live and I will kill you tomorrow night", T0)


def test_a_detector_rule_in_shadow_is_recorded_never_acted_on_and_off_is_silent():
    live = Policy()
    shadow = replace(live, rule_states={"threat_person_rule": "shadow", "threat_doom_rule": "shadow"})
    off = replace(live, rule_states={"threat_person_rule": "off", "threat_doom_rule": "off"})
    (found,) = Tagger(live).tag(THREAT)
    assert found.policy == "violence" and not found.source.startswith("shadow:")
    (shadowed,) = Tagger(shadow).tag(THREAT)
    assert (shadowed.policy, shadowed.confidence, shadowed.source) == ("violence", found.confidence,
                                                                       "shadow:" + found.source)
    from agents.records import Case

    d = decide(Case(THREAT, None, (), (Report("r1", "p1", "violence", T0, "9"),)), [shadowed], {}, shadow)
    assert d.route == "no_action" and d.actions == ()
    assert any(r.startswith("shadow: violence") and "would remove" in r for r in d.reasons)
    assert [n.recipient for n in d.notices] == ["reporter"] and "found no violation" in d.notices[0].text
    assert Tagger(off).tag(THREAT) == []
    # one rule in shadow beside a live one of the same policy: the live one acts, the shadow one is noted
    mixed = Tagger(replace(live, rule_states={"threat_doom_rule": "shadow"})).tag(THREAT)
    assert sorted(v.source.startswith("shadow:") for v in mixed) == [False, True]


def test_classifier_heads_in_shadow_or_off():
    class Fixed:
        version, thresholds = "t.1", {"abuse_harassment": 0.5}

        def predict_batch(self, texts):
            return [{"abuse_harassment": 0.9} for _ in texts]

    p = Post("p2", "9001", "some insult the rules miss", T0)
    policy = Policy(head_states={"abuse_harassment": "shadow"})
    (v,) = Tagger(policy, classifier=Fixed()).tag(p)
    assert v.source == "shadow:clf.abuse_harassment@t.1"
    assert Tagger(Policy(head_states={"abuse_harassment": "off"}), classifier=Fixed()).tag(p) == []
    assert Tagger(Policy(), classifier=Fixed()).tag(p)[0].source == "clf.abuse_harassment@t.1"


def test_a_category_threshold_overrides_the_default_for_that_category_only():
    from agents.enforcement import enforcement_actions
    from agents.records import Violation

    p = Policy()
    cats = dict(p.categories)
    cats["abuse_harassment"] = replace(cats["abuse_harassment"], severe_confidence=0.95)
    strict = replace(p, categories=cats)
    post = Post("p3", "9001", "x", T0)
    for code, conf, before, after in (("abuse_harassment", 0.9, ["remove"], ["reduce_visibility"]),
                                      ("hateful_conduct", 0.9, ["remove"], ["remove"])):
        v = (Violation(code, conf, (), "test"),)
        assert [a.type for a in enforcement_actions("d", post, v, p)] == before
        assert [a.type for a in enforcement_actions("d", post, v, strict)] == after
    assert strict.severe_for("abuse_harassment") == 0.95 and strict.severe_for("violence") == 0.85


def test_notice_texts_come_from_the_file():
    p = parse(_at(TEXT, "Thank you for your report {report_id}. We reviewed",
                  "Report {report_id} received. We reviewed"))
    from agents.enforcement import reporter_notices

    (n,) = reporter_notices("d", (Report("r9", "p1", "violence", T0, "9"),), (), frozenset(), p)
    assert n.text.startswith("Report r9 received. We reviewed the post you reported for 'Violent speech")
