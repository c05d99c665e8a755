"""Pattern rules as data, and the engine that runs a rule set over normalised text.

A rule is a named regex over skeleton text (see `normalize`) plus the policies it
evidences and the context checks that may clear it. The optional named group `v` marks the
trigger word (the verb or insult): negation is looked for before it. `requires` lists
regexes that must also occur in the hit's sentence, or within `reach` sentences of it (a sale
cue next to a drug name, not in another paragraph about a bike); they double as cheap
prefilters, searched once per post even when rules share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from agents.detectors import context, literals
from agents.detectors.normalize import compile_skeleton, skeleton_pattern

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
    requires: tuple[str, ...] = ()  #: regexes that must all match in the hit's sentence
    group: str = ""  #: protected-group key, for the reclaimed-usage check
    keywords: frozenset[str] = frozenset()  #: the rule runs only if the post has one of these words
    reach: int = 0  #: `requires` may match this many sentences before or after the hit's (an offer's price in the next)


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
    heads_lower_only: bool = False  #: what cleared it only lowers a learned head (context.HEADS_LOWER_ONLY)


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: PatternRule
    source: str
    regex: re.Pattern[str]
    requires: tuple[tuple[str, re.Pattern[str]], ...] = field(default=())
    keyword_sets: tuple[frozenset[str], ...] = field(default=())  #: each must meet the post's words
    in_sentence: tuple[re.Pattern[str], ...] = field(default=())  #: every `requires`, checked per hit
    literals: tuple[str, ...] | None = None  #: the regex matches no text without one of these (literals.required)


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
        shared: dict[str, re.Pattern[str]] = {}  # one object per source: the post's Scan caches by pattern

        def req(source: str) -> re.Pattern[str]:
            return shared.setdefault(source, compile_skeleton(source))

        def compiled(rs: RuleSet, r: PatternRule) -> _Compiled:
            regex = compile_skeleton(r.pattern)
            return _Compiled(
                r, rs.source, regex,
                tuple((q, req(q)) for q in r.requires if _word_alternation(q) is None),
                tuple(ks for ks in (
                    frozenset(skeleton_pattern(k) for k in r.keywords),
                    *(_word_alternation(q) for q in r.requires),
                ) if ks),
                tuple(req(q) for q in r.requires),
                literals.required(regex),
            )

        self._compiled = tuple(compiled(rs, r) for rs in rule_sets for r in rs.rules)
        self._always = frozenset(n for n, c in enumerate(self._compiled) if not c.keyword_sets)
        self._by_word: dict[str, list[int]] = {}
        for n, c in enumerate(self._compiled):
            for word in (c.keyword_sets[0] if c.keyword_sets else ()):  # the first set picks, the rest check
                self._by_word.setdefault(word, []).append(n)
        self._index = frozenset(self._by_word)  #: a post's words met with this in C, not looked up one by one
        self._checks = tuple(c.keyword_sets[1:] for c in self._compiled)

    @staticmethod
    def _present(cache: dict[str, bool], key: str, rx: re.Pattern[str], text: str) -> bool:
        if key not in cache:
            cache[key] = not literals.absent(literals.of(rx), text) and rx.search(text) is not None
        return cache[key]

    def run(self, scan: context.Scan) -> Iterator[Hit]:
        text = scan.text
        present: dict[str, bool] = {}  # rules sharing a `requires` pattern search it once per post
        words = _words(text)
        candidates = set(self._always)
        for word in self._index.intersection(words):
            candidates.update(self._by_word[word])
        postings = _postings(scan) if scan.sentences.count > POSTINGS_FROM else None
        for n in sorted(candidates):  # rule order, as declared
            c = self._compiled[n]
            checks = self._checks[n]
            if checks and any(ks.isdisjoint(words) for ks in checks):
                continue
            if literals.absent(c.literals, text):
                continue  # the rule's regex cannot match: no hits (checked first: a `requires` search costs more)
            if not all(self._present(present, key, rx, text) for key, rx in c.requires):
                continue
            yield from self._hits(c, scan, _ranges(c, scan, postings))

    @staticmethod
    def _hits(c: _Compiled, scan: context.Scan, ranges: list[tuple[int, int]]) -> Iterator[Hit]:
        """The first HITS_PER_RULE standing and cleared matches of one rule, in text order."""
        sentences = scan.sentences
        standing = cleared = 0
        for m in (m for a, b in ranges for m in c.regex.finditer(scan.text, a, b)):
            if c.in_sentence and not all(scan.within(rx, *scan.near(m.start(), c.rule.reach, c.rule.reach))
                                         for rx in c.in_sentence):
                continue  # the cue is in the post, but not in this sentence (or its `reach` neighbours)
            trigger = m.start("v") if "v" in c.regex.groupindex and m.group("v") is not None else m.start()
            reason, lower_only = context.suppression(scan, context.Span(m.start(), trigger, m.end()), c.rule.contexts,
                                                     c.rule.group)
            if reason:
                if cleared == HITS_PER_RULE:
                    continue  # enough of these; a later match may still stand
                cleared += 1
            else:
                standing += 1
            start, end = sentences.span(m.start(), m.end())
            for policy in c.rule.policies:
                yield Hit(policy, c.rule.name, c.source, c.rule.confidence, start, end, sentences.original[start:end],
                          reason, lower_only)
            if standing == HITS_PER_RULE:
                return


def _words(text: str, a: int = 0, b: int | None = None) -> set[str]:
    """The words of text[a:b], possessives also without their ending ("taliban's" is also "taliban")."""
    words = set(_WORD.findall(text, a, len(text) if b is None else b))
    return words | {w.split("'", 1)[0] for w in words if "'" in w} if "'" in text else words


POSTINGS_FROM = 8  #: sentences; a longer post runs each rule only on sentences with its words


def _postings(scan: context.Scan) -> dict[str, list[int]]:
    """Word -> the sentences that hold it (no pattern matches across a sentence end)."""
    postings: dict[str, list[int]] = {}
    text, sentences = scan.text, scan.sentences
    for k in range(sentences.count):
        a, b = sentences.skeleton_bounds(k)
        for word in _words(text, a, b):
            postings.setdefault(word, []).append(k)
    return postings


def _ranges(c: _Compiled, scan: context.Scan, postings: dict[str, list[int]] | None) -> list[tuple[int, int]]:
    """Where to run a rule: the whole text, or the runs of sentences holding one of its words."""
    if postings is None or not c.keyword_sets:
        return [(0, len(scan.text))]
    ranges: list[tuple[int, int]] = []
    for k in sorted({k for word in c.keyword_sets[0] for k in postings.get(word, ())}):
        a, b = scan.sentences.skeleton_bounds(k)
        if ranges and ranges[-1][1] + 1 == a:  # the next sentence: one run
            ranges[-1] = (ranges[-1][0], b)
        else:
            ranges.append((a, b))
    return ranges
