"""Pattern rules as data, and the engine that runs a rule set over normalised text.

A rule is a named regex over skeleton text (see `normalize`) plus the policies it
evidences and the context checks that may clear it. The optional named group `v` marks the
trigger word (the verb or insult): negation is looked for before it. `requires` lists
regexes that must also occur somewhere in the post (e.g. a sale cue next to a drug name);
they double as cheap prefilters, searched once per post even when rules share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from agents.detectors import context
from agents.detectors.normalize import Normalized, compile_skeleton, skeleton_pattern

_WORD = re.compile(r"[a-z0-9']+")

#: Matches kept per rule and post, standing and cleared each: a verdict needs a few pointers
#: (the tagger cites at most 4), and a post repeating one phrase 60,000 times needs no more.
HITS_PER_RULE = 8

#: Context checks that clear most speech rules (threats add "hyperbole", slurs "reclaimed").
SPEECH = frozenset({"counter_speech", "negation", "quotation"})


@dataclass(frozen=True, slots=True)
class PatternRule:
    """One named detector: `<signal>_<subject>_rule`."""

    name: str
    policies: tuple[str, ...]
    pattern: str  #: regex source in plain lowercase spelling; compiled for skeleton text
    confidence: float
    contexts: frozenset[str] = SPEECH  #: names of context checks that may suppress a hit
    requires: tuple[str, ...] = ()  #: cheap regexes that must all match somewhere in the post first
    group: str = ""  #: protected-group key, for the reclaimed-usage check
    keywords: frozenset[str] = frozenset()  #: the rule runs only if the post has one of these words


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of one detector family, versioned together (source "<detector>@<version>")."""

    detector: str
    version: int
    rules: tuple[PatternRule, ...]

    @property
    def source(self) -> str:
        return f"{self.detector}@{self.version}"


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule match on a post, kept even when context cleared it (then `suppressed` says why)."""

    policy: str
    rule: str
    source: str
    confidence: float
    start: int  #: span in the ORIGINAL text
    end: int
    excerpt: str  #: the original characters matched
    suppressed: str = ""  #: context reason, empty when the hit stands


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: PatternRule
    source: str
    regex: re.Pattern[str]
    requires: tuple[tuple[str, re.Pattern[str]], ...] = field(default=())
    keyword_sets: tuple[frozenset[str], ...] = field(default=())  #: each must meet the post's words


_ALTERNATION = re.compile(r"\\b\(\?:([a-z' |]+)\)\\b")


def _word_alternation(pattern: str) -> frozenset[str] | None:
    """`\\b(?:a|b c)\\b` as a set of words to look up (one word per phrase), else None.

    A set lookup in the post's words is far cheaper than a regex alternation scan.
    """
    m = _ALTERNATION.fullmatch(pattern)
    if m is None:
        return None
    return frozenset(skeleton_pattern(max(p.split(), key=len)) for p in m.group(1).split("|"))


class RuleEngine:
    """Compiles rule sets once; `run` is pure and cheap per post.

    Most rules name words the post must contain (`keywords`, or a `requires` word list), so
    an index from word to rules picks the few worth trying from the post's own words.
    """

    def __init__(self, rule_sets: tuple[RuleSet, ...]):
        names = [r.name for rs in rule_sets for r in rs.rules]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule names: {', '.join(duplicates)}")
        self._compiled = tuple(
            _Compiled(
                r, rs.source, compile_skeleton(r.pattern),
                tuple((q, compile_skeleton(q)) for q in r.requires if _word_alternation(q) is None),
                tuple(ks for ks in (
                    frozenset(skeleton_pattern(k) for k in r.keywords),
                    *(_word_alternation(q) for q in r.requires),
                ) if ks),
            )
            for rs in rule_sets
            for r in rs.rules
        )
        self._always = frozenset(n for n, c in enumerate(self._compiled) if not c.keyword_sets)
        self._by_word: dict[str, list[int]] = {}
        for n, c in enumerate(self._compiled):
            for word in (c.keyword_sets[0] if c.keyword_sets else ()):  # the first set picks, the rest check
                self._by_word.setdefault(word, []).append(n)

    @staticmethod
    def _present(cache: dict[str, bool], key: str, rx: re.Pattern[str], text: str) -> bool:
        if key not in cache:
            cache[key] = rx.search(text) is not None
        return cache[key]

    def run(self, norm: Normalized) -> Iterator[Hit]:
        text = norm.text
        scan = context.Scan(text)
        present: dict[str, bool] = {}  # rules sharing a `requires` pattern search it once per post
        words = set(_WORD.findall(text))
        candidates = set(self._always)
        for word in words:
            candidates.update(self._by_word.get(word, ()))
        for n in sorted(candidates):  # rule order, as declared
            c = self._compiled[n]
            if any(ks.isdisjoint(words) for ks in c.keyword_sets[1:]):
                continue
            if not all(self._present(present, key, rx, text) for key, rx in c.requires):
                continue
            yield from self._hits(c, norm, scan)

    @staticmethod
    def _hits(c: _Compiled, norm: Normalized, scan: context.Scan) -> Iterator[Hit]:
        """The first HITS_PER_RULE standing and cleared matches of one rule, in text order."""
        standing = cleared = 0
        for m in c.regex.finditer(norm.text):
            trigger = m.start("v") if "v" in c.regex.groupindex and m.group("v") is not None else m.start()
            reason = context.suppression(scan, context.Span(m.start(), trigger, m.end()), c.rule.contexts, c.rule.group)
            if reason:
                if cleared == HITS_PER_RULE:
                    continue  # enough of these; a later match may still stand
                cleared += 1
            else:
                standing += 1
            start, end = norm.span(m.start(), m.end())
            for policy in c.rule.policies:
                yield Hit(policy, c.rule.name, c.source, c.rule.confidence, start, end, norm.original[start:end], reason)
            if standing == HITS_PER_RULE:
                return
