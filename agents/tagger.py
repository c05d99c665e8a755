"""The tag agent's logic: which policies a post violates, how sure, and what shows it.

Input: a `Post` (topic posts). Output: `list[Violation]`, one per policy code, sorted by
code, that the decide agent consumes. It merges
- the fast-path text detectors (`agents.detectors`: rules, context checks, PII),
- media hash-bank matches of `post.media` (`agents.hashbank.HashBank`: exact MD5, PDQ within
  Hamming distance 31), one signal per matched policy, sourced `hashbank@<bank version>`,
- the optional learned classifier (`agents.classifier.TextClassifier`): the post and each
  of its sentences are scored in one batch; a head's verdict is carried by the sentence(s)
  over its sentence threshold (or, when only the whole post reaches the model's threshold,
  the post's best sentence), and that sentence's context vetoes or lowers it
  (`context.sentence_context`), as do cleared rule hits on it for the same policy,
- `post.upstream_violations` (kept; their source is preserved when they are the strongest).
Rule states (`Policy.rule_states` per detector rule, `Policy.head_states` per classifier
label): `off` drops the signal; `shadow` keeps it apart, merged into its own violation
sourced `shadow:<source>`, which the router records in the reasons and never acts on.
Pure: no I/O at call time; everything is compiled or loaded before construction returns.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from agents.caps import SHADOW_SOURCE
from agents.detectors import Hit, Scan, TextDetectors, segment
from agents.detectors.context import LOWERED, QUOTATION_LABEL, outside_quotes, sentence_context
from agents.hashbank import HashBank
from agents.policy import Policy
from agents.records import Post, Violation

if TYPE_CHECKING:
    from agents.classifier import TextClassifier

#: 1.4.4: the lexicon's new insult words ("rat", "degenerate") and things ("this case") reach the context checks
#: (a slight denied, a self-insult, a thing slighted); small capitals and Armenian look-alikes fold for the rules; a
#: harm verb on a clip, file or song is harmless ("cut a clip"), and a score or a rink frames a contest; a self_harm
#: verdict on a sentence (and its neighbours) naming nothing of self-harm is lowered ("do it", "you should hate everyone"),
#: and so is a violence verdict naming no harm, weapon (words or emoji), blood or death ("told her I like her").
#: 1.4.3: a sentence after the first opens a clause too (a named insult, a subject naming no person); weighing a
#: self-harm method or glorifying it is no own struggle, asking how to support someone is help, self-harm as a
#: work's or study's subject clears the self_harm head; violent idioms ("shoot the messenger", "lock her up",
#: "hanging out") clear the violence and self_harm heads; "wouldn't it be ..." and a negation in a condition ("if you don't stop I'll ...") do not clear
#: a threat; praise of a group's part and "stop treating X like ..." are sympathetic; "she said I was a loser" is an
#: insult received, "made a mistake" no slight, "this weather sucks" slights a thing.
#: 1.4.2: masked letters read, new abuse-head checks (affection, a story, a denied "call X a ...", a subject naming
#: no person), "kill yourself" vetoes the violence head, named games are contests; 1.4.1: the spelling pass reads
#: reflexives as glue and drug names as targets; 1.4: a quotation clears a learned head only when the words outside
#: it do not carry it (1.3: per-sentence thresholds)
TAGGER_VERSION = "1.4.4"
EVIDENCE_CHARS = 80  #: cap per evidence string
EVIDENCE_ITEMS = 4  #: cap per violation: reviewers need a few pointers, not every match
#: Per classifier version and head, the threshold a single sentence must reach to carry the head.
#: The artifact's thresholds were chosen for the model on whole posts; the max over a post's
#: sentences reaches them more often (more, shorter texts), so the Tagger's own are chosen on
#: the validation splits for its whole decision (`python -m ops.tagger_vs_model --choose`).
SENTENCE_THRESHOLDS = Path(__file__).with_name("sentence_thresholds.json")


@cache
def chosen_sentence_thresholds(version: str) -> Mapping[str, float]:
    """The sentence thresholds chosen for classifier `version`; empty (the model's own) if none were."""
    chosen = json.loads(SENTENCE_THRESHOLDS.read_text(encoding="utf-8")) if SENTENCE_THRESHOLDS.exists() else {}
    return dict(chosen.get(version, {}).get("thresholds", {}))


@dataclass(frozen=True, slots=True)
class _Signal:
    """One contributor to a policy verdict, before merging."""

    policy: str
    confidence: float
    source: str
    evidence: tuple[str, ...]
    rank: int  #: tie-break among equal confidences: upstream 0, rules 1, bank 2, classifier 3
    shadow: bool = False  #: from a detector rule or classifier head in shadow mode


@dataclass(frozen=True, slots=True)
class _Scores:
    """A post's classifier probabilities: the whole post, and each sentence (the post itself if one)."""

    post: Mapping[str, float]
    sentences: Sequence[Mapping[str, float]]


def _cleared_by_rules(scan: Scan, hits: list[Hit], policy: str, k: int) -> str:
    """The reason when rule hits on `policy` in sentence k were all cleared by context; a context that
    only lowers a learned head (a bare news word, `Hit.heads_lower_only`) vetoes nothing here."""
    here = [h for h in hits if h.policy == policy and scan.sentences.index_of_original(h.start) == k]
    if not here or not all(h.suppressed for h in here):
        return ""
    return next((h.suppressed for h in here if not h.heads_lower_only), "")


def _cap(text: str) -> str:
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def _quote(excerpt: str) -> str:
    return '"' + " ".join(excerpt.split())[:48] + '"'


class Tagger:
    """Tags posts with policy violations. Build once per worker; `tag` is pure and fast."""

    def __init__(
        self,
        policy: Policy,
        *,
        banks: HashBank | None = None,
        classifier: "TextClassifier | None" = None,
        sentence_thresholds: Mapping[str, float] | None = None,
    ):
        self.policy = policy
        self.banks = self._checked(banks or HashBank.empty())
        self._classifier = classifier
        models = classifier.thresholds if classifier else {}
        if classifier and sentence_thresholds is None:
            sentence_thresholds = chosen_sentence_thresholds(classifier.version)
        #: per head: (the model's threshold on the whole post, a sentence's), never below the model's
        self._thresholds = {h: (t, max(t, (sentence_thresholds or {}).get(h, t))) for h, t in models.items()}
        self._detectors = TextDetectors()

    def with_banks(self, banks: HashBank) -> "Tagger":
        """This tagger with another bank snapshot (a worker's refresh); detectors and classifier are shared."""
        tagger = copy.copy(self)
        tagger.banks = self._checked(banks)
        return tagger

    def with_policy(self, policy: Policy) -> "Tagger":
        """This tagger under another policy (a worker's reload); detectors, banks and classifier are shared."""
        tagger = copy.copy(self)
        tagger.policy = policy
        return tagger

    def _checked(self, banks: HashBank) -> HashBank:
        unknown = sorted(banks.policies - set(self.policy.categories))
        if unknown:
            raise ValueError(f"hash banks map to unknown policy codes: {', '.join(unknown)}")
        return banks

    def tag(self, post: Post) -> list[Violation]:
        """Every policy `post` violates, one Violation per code, sorted by code."""
        return self.tag_batch([post])[0]

    def tag_batch(self, posts: Sequence[Post]) -> list[list[Violation]]:
        """`tag` for many posts, scoring the classifier once for all posts and their sentences.
        Copies (the same text and country, no media or upstream violations: spam waves, copypasta;
        ~22% of the bench's posts) are tagged once: nothing else of a post is read here."""
        first: dict[object, int] = {}  # a copy's key -> its first post's place among the distinct ones
        distinct: list[Post] = []
        slot = []
        for n, post in enumerate(posts):
            key = (post.text, post.country) if not (post.media or post.upstream_violations) else n
            if key not in first:
                first[key] = len(distinct)
                distinct.append(post)
            slot.append(first[key])
        if len(distinct) == len(posts):
            return self._tag_distinct(posts)
        tagged = self._tag_distinct(distinct)
        return [list(tagged[k]) for k in slot]

    def _tag_distinct(self, posts: Sequence[Post]) -> list[list[Violation]]:
        scans = [Scan(segment(p.text)) for p in posts]
        scores = self._score(scans)
        out = []
        for post, scan, score in zip(posts, scans, scores):
            signals = self._signals(post, scan, score)
            shadow = self._merge(s for s in signals if s.shadow)
            out.append(self._merge(s for s in signals if not s.shadow)
                       + [Violation(v.policy, v.confidence, v.evidence, SHADOW_SOURCE + v.source) for v in shadow])
        return out

    def _score(self, scans: Sequence[Scan]) -> list[_Scores]:
        """One classifier call: each post, then its sentences when it has more than one."""
        if self._classifier is None:
            return [_Scores({}, [])] * len(scans)
        texts: list[str] = []
        for scan in scans:
            s = scan.sentences
            texts.append(s.original)
            if s.count > 1:
                texts += [s.sentence(k) for k in range(s.count)]
        probs, out, i = self._classifier.predict_batch(texts), [], 0
        for scan in scans:
            n = scan.sentences.count
            whole, i = probs[i], i + 1
            per, i = (probs[i:i + n], i + n) if n > 1 else ([whole], i)
            out.append(_Scores(whole, per))
        return out

    def _signals(self, post: Post, scan: Scan, scores: "_Scores") -> list[_Signal]:
        signals = [_Signal(v.policy, v.confidence, v.source, v.evidence, 0) for v in post.upstream_violations]
        hits = [h for h in self._detectors.detect(scan, region=post.country)
                if self.policy.rule_state(h.rule) != "off"] if post.text else []
        signals += self._text_signals(hits)
        signals += self._bank_signals(post)
        signals += self._classifier_signals(scan, scores, hits)
        return [s for s in signals if s.policy in self.policy.categories]

    def _text_signals(self, hits: list[Hit]) -> list[_Signal]:
        shadow = {h.rule for h in hits if self.policy.rule_state(h.rule) == "shadow"}
        standing = {(h.policy, h.rule in shadow) for h in hits if not h.suppressed}
        out = [
            _Signal(h.policy, h.confidence, h.source, (f"span {h.start}-{h.end} {_quote(h.excerpt)} ({h.rule})",), 1,
                    h.rule in shadow)
            for h in hits
            if not h.suppressed
        ]
        # Cleared matches are worth a line only next to a verdict on the same policy.
        out += [
            _Signal(h.policy, 0.0, h.source, (f"context: {h.suppressed} suppressed span {h.start}-{h.end} ({h.rule})",), 9,
                    h.rule in shadow)
            for h in hits
            if h.suppressed and (h.policy, h.rule in shadow) in standing
        ]
        return out

    def _bank_signals(self, post: Post) -> list[_Signal]:
        """One signal per matched policy: its strongest match leads, every match is evidence."""
        matches = self.banks.match_all(post.media) if post.media else []
        by_policy: dict[str, list[str]] = defaultdict(list)
        best: dict[str, float] = {}
        for m in matches:  # strongest first
            by_policy[m.policy].append(m.evidence)
            best.setdefault(m.policy, m.confidence)
        return [_Signal(code, best[code], self.banks.source, tuple(ev), 2) for code, ev in by_policy.items()]

    def _classifier_signals(self, scan: Scan, scores: "_Scores", hits: list[Hit]) -> list[_Signal]:
        """Per head: the strongest verdict among the sentences that carry it, after their context."""
        if not scores.post or self._classifier is None:
            return []
        out: list[_Signal] = []
        source = f"clf.{{}}@{self._classifier.version}"
        for head, p_post in sorted(scores.post.items()):
            state = self.policy.head_state(head)
            if state == "off":
                continue
            threshold, per_sentence = self._thresholds.get(head, (1.0, 1.0))
            carriers = sorted((k for k, p in enumerate(scores.sentences) if p[head] >= per_sentence),
                              key=lambda k: -scores.sentences[k][head])
            if not carriers and p_post >= threshold:  # no sentence alone: the one that weighs most
                carriers = [max(range(len(scores.sentences)), key=lambda k: scores.sentences[k][head])]
            best: _Signal | None = None
            for k in carriers:
                p = max(scores.sentences[k][head], p_post if p_post >= threshold else 0.0)
                where = f"sentence {k + 1} {_quote(scan.sentences.sentence(k))}"
                veto = _cleared_by_rules(scan, hits, head, k)
                context_veto, lower = ("", "") if veto else sentence_context(scan, k, head)
                if context_veto == QUOTATION_LABEL and self._carried_outside_quotes(scan, k, head, per_sentence):
                    context_veto, lower = sentence_context(scan, k, head, skip=("quotation",))
                veto = veto or context_veto
                if veto:
                    out.append(_Signal(head, 0.0, source.format(head), (f"context: {veto} cleared classifier p={p:.2f}, {where}",), 9,
                                       state == "shadow"))
                    continue
                confidence, note = (p * LOWERED, f" lowered by {lower}") if lower else (p, "")
                signal = _Signal(head, round(confidence, 4), source.format(head), (f"classifier p={p:.2f}{note}, {where}",), 3,
                                 state == "shadow")
                if best is None or signal.confidence > best.confidence:
                    best = signal
            if best:
                out.append(best)
        return out

    def _carried_outside_quotes(self, scan: Scan, k: int, head: str, threshold: float) -> bool:
        """Whether sentence k's own words, its quotations taken out, still carry `head`: a quote
        clears only what it quotes ('She said "..." She thinks people are stupid' stands)."""
        assert self._classifier is not None
        return self._classifier.predict_batch([outside_quotes(scan.sentences.sentence(k))])[0][head] >= threshold

    def _merge(self, signals: Iterable[_Signal]) -> list[Violation]:
        by_policy: dict[str, list[_Signal]] = defaultdict(list)
        for s in signals:
            by_policy[s.policy].append(s)
        violations = []
        for code in sorted(by_policy):
            group = sorted(by_policy[code], key=lambda s: (-s.confidence, s.rank, s.source))  # stable: text order
            lead = group[0]
            if lead.rank == 9:
                continue  # only context notes: nothing stands
            evidence: list[str] = []
            for s in group:
                for e in s.evidence:
                    e = _cap(e)
                    if e not in evidence and len(evidence) < EVIDENCE_ITEMS:
                        evidence.append(e)
            violations.append(Violation(code, lead.confidence, tuple(evidence), lead.source))
        return violations
