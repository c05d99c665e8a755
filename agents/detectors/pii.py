"""Private information (doxxing): phone numbers, e-mail and street addresses, government IDs,
posted with words that point them at a person ("her address is", "call this guy"), and
threats to expose someone. A business's own number in an ad is not doxxing.

Phone numbers are found with `phonenumbers` (libphonenumber) on the original text; cue
phrases are matched on skeleton text. Evidence masks the values: reviewers see the post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

import phonenumbers

from agents.detectors.context import Scan
from agents.detectors.normalize import compile_skeleton
from agents.detectors.rules import HITS_PER_RULE, Hit

PI = "private_info"
SOURCE = "pii@1"
RULE_NAMES = ("threat_expose_rule", "exposure_gov_id_rule", "exposure_personal_rule")  #: the hits' rule names

#: Anchored at the start of a run of address characters, local part <= 64 and labels <= 63
#: (RFC 5321): unanchored, a long run with no "@" is rescanned from each word in it (quadratic).
#: Leading ".+-" are trimmed in `_emails` (an address starts at a word character).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b|\bssn:? ?\d{9}\b", re.IGNORECASE)
_STREETS = (r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|"
            r"circle|cir|highway|hwy|parkway|pkwy)\b")
_STREET = re.compile(r"\b" + _STREETS)  #: gate on the lowercased text: tried at every number, the address is costly
_ADDRESS = re.compile(r"\b\d{1,6}\s+(?:[A-Za-z0-9][\w'.-]*\s+){1,4}" + _STREETS + r"\.?", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_EXPOSE_WORDS = re.compile(r"dox|post|leak|publish|share|expose|release")
#: A run of digits and separators that may hold a phone number. libphonenumber runs only on a
#: window around each of the first PHONE_CANDIDATES runs: over a whole post of digit groups it
#: costs ~50 us per group, so an adversarial megabyte of "12 main" would take seconds.
_PHONEISH = re.compile(r"\+?\d[\d\s().\-]{5,40}\d")
PHONE_CANDIDATES = 64
_PHONE_PAD = 16  #: context either side of a run: the matcher checks the characters around a number
ITEMS_PER_KIND = HITS_PER_RULE  #: a few pointers are evidence enough
_POINTER = compile_skeleton(
    r"\b(?:his|her|their|this (?:guy|girl|woman|man|bitch|idiot|dude|chick)'?s?|@\w+'?s?|[a-z]+'s)(?: \w+){0,2}? "
    r"(?:address|number|phone|cell|email|e-mail|ssn|social security|social|home|location|workplace)\b"
    r"|\b(?:lives|live|living|stays) (?:at|on)\b|\bhere'?s where (?:he|she|they) (?:lives?|works?|sleeps?|stays?)\b"
    r"|\b(?:call|text|email|e-mail|spam|flood|message|visit) (?:this|that|him|her|them|his|her)\b"
    r"|\b(?:dox|doxx|doxxed|doxed|leaked|leak|real name is)\b|\bpay (?:him|her|them) a visit\b|\bshow up at\b"
)
_BUSINESS = compile_skeleton(
    r"\b(?:call us|text us|email us|contact us|our (?:office|store|shop|team|address|number|hours|clinic|salon)|"
    r"book (?:now|an appointment|online|today|to)|to book|open (?:daily|mon\w*|now|24)|visit us|we're located|we are located|"
    r"free (?:quote|estimate|consultation)|for (?:delivery|reservations|orders|bookings)|customer (?:service|support)|"
    r"hours|support@|info@|sales@|we'll help|we will help|order online|new address|call now|call today|"
    r"(?:is|are|we're|now) located|headquartered|opening hours|reservations?|menu|"
    r"(?:store|shop|restaurant|bakery|cafe|bar|pub|salon|clinic|office|hotel|museum|library|gym|venue|gallery|"
    r"theater|theatre|church|mosque|synagogue|temple|school|campus|hq|headquarters|branch|studio|market)s? "
    r"(?:is |are )?(?:at|on|located))\b"
)
_EXPOSE = compile_skeleton(
    r"\b(?:i'll|i will|i'm going to|im going to|i'm gonna|im gonna|gonna|going to|about to|we'll|we will) "
    r"(?P<v>dox|doxx|post|leak|publish|share|expose|release|find and post) "
    r"(?:you|u|your (?:home |real |personal )?(?:address|number|phone number|phone|info|details|location|ssn|real name|workplace))\b"
)


@dataclass(frozen=True, slots=True)
class PiiItem:
    """One piece of private information in the ORIGINAL text, with a masked rendering."""

    kind: str  #: "phone" | "email" | "address" | "gov_id"
    start: int
    end: int
    masked: str


def _mask(value: str, keep: int = 2) -> str:
    return "".join("*" if c.isalnum() else c for c in value[:-keep]) + value[-keep:]


def _emails(text: str) -> list[PiiItem]:
    items = []
    for m in _EMAIL.finditer(text):
        value = m.group().lstrip(".+-")
        if not value.startswith("@"):
            items.append(PiiItem("email", m.end() - len(value), m.end(), value[0] + "***@" + value.split("@", 1)[1]))
            if len(items) == ITEMS_PER_KIND:
                break
    return items


def _phones(text: str, region: str, taken: list[tuple[int, int]]) -> list[PiiItem]:
    """Phone numbers not inside another item, from windows around digit runs (see _PHONEISH)."""
    items: list[PiiItem] = []
    for run in islice(_PHONEISH.finditer(text), PHONE_CANDIDATES):
        offset = max(0, run.start() - _PHONE_PAD)
        for m in phonenumbers.PhoneNumberMatcher(text[offset:run.end() + _PHONE_PAD], region):
            a, b = offset + m.start, offset + m.end
            if not any(x < b and a < y for x, y in taken):
                items.append(PiiItem("phone", a, b, _mask(m.raw_string)))
                taken.append((a, b))
                if len(items) == ITEMS_PER_KIND:
                    return items
    return items


class PiiDetector:
    """Finds private information and decides whether a post points it at a person."""

    def __init__(self, region: str = "US"):
        self._region = region

    def find(self, text: str, region: str | None = None) -> list[PiiItem]:
        """The phones, e-mail and street addresses and government IDs in `text` (the first
        ITEMS_PER_KIND of each), in order."""
        items = _emails(text) if "@" in text else []
        if not _DIGIT.search(text):
            return items  # every other kind has digits; most posts stop here
        items += [PiiItem("gov_id", m.start(), m.end(), _mask(m.group(), 4))
                  for m in islice(_SSN.finditer(text), ITEMS_PER_KIND)]
        items += [PiiItem("address", m.start(), m.end(), "*** " + m.group().split(None, 1)[1])
                  for m in islice(_ADDRESS.finditer(text), ITEMS_PER_KIND)] if _STREET.search(text.lower()) else []
        items += _phones(text, region or self._region, [(i.start, i.end) for i in items])
        return sorted(items, key=lambda i: (i.start, i.kind))

    def detect(self, scan: Scan, region: str | None = None) -> list[Hit]:
        """private_info hits: exposure threats, government IDs, and personal details that a
        pointer ("her address is", "call this guy") in their sentence or a neighbour aims at
        someone, with no business cue ("call us", "our office") there."""
        sentences, hits = scan.sentences, []
        for m in islice(_EXPOSE.finditer(scan.text), HITS_PER_RULE) if _EXPOSE_WORDS.search(scan.text) else ():
            a, b = sentences.span(m.start(), m.end())
            hits.append(Hit(PI, "threat_expose_rule", SOURCE, 0.75, a, b, sentences.original[a:b]))
        for item in self.find(sentences.original, region):
            label = f"{item.kind} {item.masked}"
            if item.kind == "gov_id":
                hits.append(Hit(PI, "exposure_gov_id_rule", SOURCE, 0.9, item.start, item.end, label))
                continue
            near = scan.near(sentences.skeleton_bounds(sentences.index_of_original(item.start))[0])
            pointer = scan.within(_POINTER, *near)
            if pointer and not scan.within(_BUSINESS, *near):
                hits.append(Hit(PI, "exposure_personal_rule", SOURCE, 0.85, item.start, item.end,
                                f"{label} + {pointer.group()!r}"))
        return hits
