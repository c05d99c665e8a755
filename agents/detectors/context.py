"""Context checks that clear a rule hit: the words are there, the violation is not.

Each check names a classic false positive of keyword moderation:
- counter_speech: condemning or reporting the words ("saying 'X are vermin' is disgusting");
- negation: "I would never ...", "immigrants are not parasites";
- quotation: reporting what someone else said ("he said '...'");
- news: third-person reporting of crimes and arrests;
- reclaimed: a slur used by a member of the group it targets;
- hyperbole: a threat with a trivial condition, laughter, or a sports/gaming frame;
- recovery: talking about one's own recovery or asking for help (self-harm);
- correction: debunking election misinformation ("False: you cannot vote by text").

All regexes run on skeleton text (see `normalize`), compiled once at import.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable

from agents.detectors.lexicon import SELF_IDENTIFIERS, alt
from agents.detectors.normalize import compile_skeleton


@dataclass(frozen=True, slots=True)
class Span:
    """A match in skeleton text; `trigger` is where the key word starts (negation looks before it)."""

    start: int
    trigger: int
    end: int


_SENTENCE_END = re.compile(r"[.!?\n;]")
_CLAUSE_END = re.compile(r"[,.!?\n;:]|\bbut\b")

_FRAME = compile_skeleton(
    r"\b(?:saying|say|says|said|calling|calls|call|called|telling|tell|tells|told|posts? like|tweets? like|"
    r"comments? like|words like|things like|people who|anyone who|those who|someone who|whoever|folks who|"
    r"when (?:people|you|they|someone) (?:say|call|tell|post|tweet))\b"
)
_CONDEMN = compile_skeleton(
    r"\b(?:not (?:ok|okay|acceptable|funny|fine|free speech|a joke|normal)|never (?:ok|okay|acceptable|funny|a joke|fine)|"
    r"disgusting|vile|unacceptable|abhorrent|despicable|appalling|shameful|wrong|hateful|racist|bigoted|bigots?|"
    r"bigotry|antisemitic|antisemitism|islamophobic|islamophobia|homophobic|homophobia|transphobic|xenophobic|"
    r"misogynistic|misogyny|sexist|hate speech|horrible|sick|evil|dangerous|dehumanizing|dehumanising|ashamed|"
    r"the worst|awful|terrible|no place for|condemn|denounce|reported|report (?:them|those|these|him|her|this|it|"
    r"the accounts?)|stand against|call (?:it|this|them) out)\b"
)
_STOP_FRAME = compile_skeleton(r"\bstop (?:saying|calling|telling|posting|tweeting)\b")
_NEGATION = compile_skeleton(
    r"\b(?:never|not(?! gonna lie| going to lie)|no|don't|dont|do not|doesn't|does not|didn't|did not|won't|wont|"
    r"will not|wouldn't|would not|can't|cant|cannot|couldn't|shouldn't|should not|isn't|aren't|ain't|"
    r"nobody should|no one should|nor)\b"
)
_QUOTED = (re.compile(r'"[^"\n]{1,240}"'), re.compile(r"(?<![a-z0-9])'(?:[^'\n]|(?<=[a-z])'(?=[a-z])){1,240}'(?![a-z0-9])"))
_REPORTING = compile_skeleton(
    r"\b(?:said|says|say|saying|told|tells|tell|wrote|writes|tweeted|tweets|posted|posts|shouted|yelled|screamed|"
    r"chanted|texted|messaged|dm'd|called|calling|quote|quoting|claimed|claims|according to|read|reads|heard|"
    r"repeating|repeated|like)\b"
)
_NEWS = compile_skeleton(
    r"\b(?:police|authorities|officials|prosecutors|court|charged|arrested|arrest|sentenced|convicted|jailed|"
    r"indicted|accused|alleged|allegedly|according to|reportedly|suspect|breaking|investigation|investigators|"
    r"trial|claimed responsibility|airstrike|ministry|documentary|seized|bust|raid)\b"
)
_HYPERBOLE = compile_skeleton(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|j/k|just kidding|kidding)\b|[\U0001F602\U0001F923\U0001F480\U0001F62D\U0001F606\U0001F605\U0001F61C]|"
    r"\b(?:if|when|unless|before)\b.{0,60}\b(?:spoil\w*|finale|ending|episode|season|last slice|fries|pizza|snacks?|"
    r"leftovers|chocolate|coffee|charger|hoodie|remote|playlist|netflix)\b|"
    r"\b(?:game|match|playoffs?|finals?|tournament|league|court|field|pitch|ranked|1v1|scrim|fortnite|cod|"
    r"warzone|valorant|minecraft|halo|rematch|gg|noobs?|boss|raid|pvp|on (?:saturday|sunday)|team)\b"
)
_RECOVERY = compile_skeleton(
    r"\b(?:recover\w*|in recovery|clean (?:from|for)|days? clean|years? clean|treatment|therapist|therapy|hotline|"
    r"helpline|988|crisis line|samaritans|get help|reach out|support group)\b"
)
_CORRECTION = compile_skeleton(
    r"\b(?:false|fake|not true|untrue|myth|misinformation|disinformation|hoax|debunked|scam|fact check|"
    r"ignore anyone|don't fall for|do not fall for|rumou?r)\b"
)
_SELF_ID = {
    group: compile_skeleton(
        r"\b(?:as an?|i'm an?|im an?|i am an?|we|us|fellow|my fellow|we're|we are)(?: \w+)?? " + alt(*words) + r"\b"
    )
    for group, words in SELF_IDENTIFIERS.items()
}


class Scan:
    """One post's context matches: each pattern runs at most once over the post, on demand.

    A check asks "is there a match of X in [a, b)?" for every rule hit; answering from one
    cached scan (sorted, non-overlapping matches, found by bisection) keeps a post with many
    hits linear in its length instead of rescanning the text per hit.
    """

    __slots__ = ("text", "_found")

    def __init__(self, text: str):
        self.text = text
        self._found: dict[int, tuple[list[re.Match[str]], list[int]]] = {}

    def _matches(self, rx: re.Pattern[str]) -> tuple[list[re.Match[str]], list[int]]:
        found = self._found.get(id(rx))  # by id: hashing a Pattern hashes its compiled code
        if found is None:
            ms = list(rx.finditer(self.text))
            found = self._found[id(rx)] = (ms, [m.start() for m in ms])
        return found

    def first(self, rx: re.Pattern[str]) -> re.Match[str] | None:
        ms, _ = self._matches(rx)
        return ms[0] if ms else None

    def within(self, rx: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
        """The first match lying wholly in [a, b)."""
        ms, starts = self._matches(rx)
        i = bisect_left(starts, a)
        return ms[i] if i < len(ms) and ms[i].end() <= b else None

    def outside(self, rx: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
        """A match lying wholly before `a` or wholly after `b`."""
        ms, starts = self._matches(rx)
        if ms and ms[0].end() <= a:
            return ms[0]
        return self.within(rx, b, len(self.text))

    def containing(self, rx: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
        """The match that contains [a, b)."""
        ms, starts = self._matches(rx)
        i = bisect_right(starts, a) - 1
        return ms[i] if i >= 0 and ms[i].end() >= b else None

    def boundary_before(self, rx: re.Pattern[str], pos: int) -> int:
        """End of the last match ending at or before `pos` (0 if none)."""
        ms, starts = self._matches(rx)
        i = bisect_right(starts, pos) - 1
        while i >= 0 and ms[i].end() > pos:
            i -= 1
        return ms[i].end() if i >= 0 else 0


def _quoted(scan: Scan, span: Span) -> tuple[int, int] | None:
    for rx in _QUOTED:
        m = scan.containing(rx, span.start, span.end)
        if m:
            return m.start(), m.end()
    return None


def counter_speech(scan: Scan, span: Span, group: str) -> str:
    a = scan.boundary_before(_SENTENCE_END, span.start)
    if scan.within(_STOP_FRAME, a, span.start):
        return "counter-speech (stop saying ...)"
    framed = scan.within(_FRAME, a, span.start) or _quoted(scan, span)
    condemn = scan.outside(_CONDEMN, span.start, span.end) if framed else None
    return f"counter-speech ({condemn.group()!r} about the words)" if condemn else ""


def negation(scan: Scan, span: Span, group: str) -> str:
    a = scan.boundary_before(_CLAUSE_END, span.trigger)
    m = _NEGATION.search(scan.text, max(a, span.trigger - 32), span.trigger)
    return f"negation ({m.group()!r})" if m else ""


def quotation(scan: Scan, span: Span, group: str) -> str:
    q = _quoted(scan, span)
    if q and scan.outside(_REPORTING, *q):
        return "quotation (reported speech)"
    return ""


def news(scan: Scan, span: Span, group: str) -> str:
    m = scan.first(_NEWS)
    return f"news reporting ({m.group()!r})" if m else ""


def reclaimed(scan: Scan, span: Span, group: str) -> str:
    rx = _SELF_ID.get(group)
    m = scan.first(rx) if rx else None
    return f"reclaimed in-group usage ({m.group()!r})" if m else ""


def hyperbole(scan: Scan, span: Span, group: str) -> str:
    m = scan.first(_HYPERBOLE)
    return f"hyperbole ({m.group()!r})" if m else ""


def recovery(scan: Scan, span: Span, group: str) -> str:
    m = scan.first(_RECOVERY)
    return f"recovery/help-seeking ({m.group()!r})" if m else ""


def correction(scan: Scan, span: Span, group: str) -> str:
    m = scan.first(_CORRECTION)
    return f"correction ({m.group()!r})" if m else ""


CHECKS: dict[str, Callable[[Scan, Span, str], str]] = {
    "counter_speech": counter_speech,
    "negation": negation,
    "quotation": quotation,
    "news": news,
    "reclaimed": reclaimed,
    "hyperbole": hyperbole,
    "recovery": recovery,
    "correction": correction,
}


def suppression(scan: Scan, span: Span, checks: frozenset[str], group: str = "") -> str:
    """The first context reason that clears this hit, or "" when it stands."""
    for name, check in CHECKS.items():
        if name in checks:
            reason = check(scan, span, group)
            if reason:
                return reason
    return ""


def text_suppression(text: str) -> str:
    """Whole-post counter-speech/quotation/news, for detectors without a span (the classifier)."""
    scan = Scan(text)
    quotes = [m for rx in _QUOTED if (m := scan.first(rx))]
    if (scan.first(_FRAME) or quotes) and scan.first(_CONDEMN):
        return "counter-speech"
    if quotes and scan.outside(_REPORTING, quotes[0].start(), quotes[0].end()):
        return "quotation (reported speech)"
    return news(scan, Span(0, 0, len(text)), "")
