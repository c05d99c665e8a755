"""The tag agent's logic: which policies a post violates, how sure, and what shows it.

Input: a `Post` (topic posts). Output: `list[Violation]`, one per policy code, sorted by
code, that the decide agent consumes. It merges
- the fast-path text detectors (`agents.detectors`: rules, context checks, PII),
- media hash-bank matches of `post.media` (`agents.hashbank.HashBank`: exact MD5, PDQ within
  Hamming distance 31), one signal per matched policy, sourced `hashbank@<bank version>`,
- the optional learned classifier (`agents.classifier.TextClassifier`),
- `post.upstream_violations` (kept; their source is preserved when they are the strongest).
Pure: no I/O at call time; everything is compiled or loaded before construction returns.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from agents.detectors import TextDetectors
from agents.detectors.context import text_suppression
from agents.detectors.normalize import normalize
from agents.hashbank import HashBank
from agents.policy import Policy
from agents.records import Post, Violation

if TYPE_CHECKING:
    from agents.classifier import TextClassifier

TAGGER_VERSION = "1.1.0"
EVIDENCE_CHARS = 80  #: cap per evidence string
EVIDENCE_ITEMS = 4  #: cap per violation: reviewers need a few pointers, not every match


@dataclass(frozen=True, slots=True)
class _Signal:
    """One contributor to a policy verdict, before merging."""

    policy: str
    confidence: float
    source: str
    evidence: tuple[str, ...]
    rank: int  #: tie-break among equal confidences: upstream 0, rules 1, bank 2, classifier 3


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
    ):
        self.policy = policy
        self.banks = self._checked(banks or HashBank.empty())
        self._classifier = classifier
        self._detectors = TextDetectors()

    def with_banks(self, banks: HashBank) -> "Tagger":
        """This tagger with another bank snapshot (a worker's refresh); detectors and classifier are shared."""
        tagger = copy.copy(self)
        tagger.banks = self._checked(banks)
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
        """`tag` for many posts, scoring the classifier in one batch."""
        scores = self._classifier.predict_batch([p.text for p in posts]) if self._classifier else [{}] * len(posts)
        return [self._merge(self._signals(post, score)) for post, score in zip(posts, scores)]

    def _signals(self, post: Post, scores: Mapping[str, float]) -> list[_Signal]:
        signals = [_Signal(v.policy, v.confidence, v.source, v.evidence, 0) for v in post.upstream_violations]
        signals += self._text_signals(post)
        signals += self._bank_signals(post)
        signals += self._classifier_signals(post.text, scores)
        return [s for s in signals if s.policy in self.policy.categories]

    def _text_signals(self, post: Post) -> list[_Signal]:
        if not post.text:
            return []
        hits = self._detectors.detect(post.text, region=post.country)
        standing = {h.policy for h in hits if not h.suppressed}
        out = [
            _Signal(h.policy, h.confidence, h.source, (f"span {h.start}-{h.end} {_quote(h.excerpt)} ({h.rule})",), 1)
            for h in hits
            if not h.suppressed
        ]
        # Cleared matches are worth a line only next to a verdict on the same policy.
        out += [
            _Signal(h.policy, 0.0, h.source, (f"context: {h.suppressed} suppressed span {h.start}-{h.end} ({h.rule})",), 9)
            for h in hits
            if h.suppressed and h.policy in standing
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

    def _classifier_signals(self, text: str, scores: Mapping[str, float]) -> list[_Signal]:
        if not scores or self._classifier is None:
            return []
        fired = {
            label: p for label, p in sorted(scores.items()) if p >= self._classifier.thresholds.get(label, 1.0)
        }
        if not fired or text_suppression(normalize(text).text):
            return []
        version = self._classifier.version
        return [_Signal(label, round(p, 4), f"clf.{label}@{version}", (f"classifier p={p:.2f}",), 3) for label, p in fired.items()]

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
