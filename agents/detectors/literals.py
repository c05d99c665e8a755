"""Literal strings a regex cannot match without: a cheap exact pre-scan before the regex itself.

Why: Python's `re` tries a pattern that starts with `\\b` or a long alternation at every position
of the text, ~30-80 µs a post for the widest rules, most of them on posts the rule cannot match.
`required(rx)` reads the compiled pattern's parse tree and returns strings of which every match
holds at least one (None when no such set is known: a case-insensitive pattern, or a branch
with no literal). A text that holds none of them has no match, so skipping the regex there
changes no result; a text that holds one is searched as before.
`required(rx, folded=True)` does the same for a case-insensitive pattern: lowercase strings that
the lowercased text holds whenever `rx` matches, exact on ASCII text only (elsewhere case folding
goes beyond `str.lower`: "\u212a" matches "k"), so callers gate ASCII text only.
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]

MAX_LITERALS = 48  #: beyond this many strings the pre-scan costs about what the regex does
MIN_CHARS = 2  #: a one-character literal (a space) would be in nearly every text: no use

_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


class _Unknown(Exception):
    """The pattern reads case-insensitively somewhere: literals would not be exact."""


def required(rx: re.Pattern[str], folded: bool = False) -> tuple[str, ...] | None:
    """Strings of which every match of `rx` contains one, or None (then the regex must always run).
    `folded`: lowercased, one of which an ASCII text's `lower()` holds when `rx` matches it, in any case."""
    if rx.flags & re.IGNORECASE and not folded:
        return None
    try:
        found = _sequence(list(_p.parse(rx.pattern, rx.flags)), folded)
    except _Unknown:
        return None
    if found and folded:
        found = frozenset(x.lower() for x in found) if all(x.isascii() for x in found) else None
    if not found or len(found) > MAX_LITERALS or min(map(len, found)) < MIN_CHARS:
        return None
    return tuple(sorted(found))


def absent(literals: tuple[str, ...] | None, text: str, a: int = 0, b: int | None = None) -> bool:
    """True when text[a:b] holds none of `literals`: the regex they came from cannot match there."""
    if literals is None:
        return False
    part = text if a == 0 and b is None else text[a:b]
    return not any(map(part.__contains__, literals))  # a C loop: a generator here cost ~4% of the hot path


_OF: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}  #: by id: hashing a Pattern hashes its code
_OF_FOLDED: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}  #: the same for `folded`


def of(rx: re.Pattern[str], folded: bool = False) -> tuple[str, ...] | None:
    """`required(rx, folded)`, worked out once per pattern object (the detectors' patterns live as long as the process)."""
    table = _OF_FOLDED if folded else _OF
    entry = table.get(id(rx))
    if entry is None or entry[0] is not rx:
        if len(table) > 4096:  # patterns made on the fly: keep the table bounded
            table.clear()
        entry = table[id(rx)] = (rx, required(rx, folded))
    return entry[1]


def _sequence(items: list, folded: bool = False) -> frozenset[str] | None:
    """The best set among the items of a sequence: each item (a literal run, a group) is required."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        got = _item(op, av, folded)
        if got:
            options.append(got)
    if run:
        options.append(frozenset({"".join(run)}))
    return max(options, key=lambda s: (min(map(len, s)), -len(s))) if options else None


def _item(op, av, folded: bool) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        if av[1] & re.IGNORECASE and not folded:
            raise _Unknown
        return _sequence(list(av[3]), folded)
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(av), folded)
    if op is _c.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            got = _sequence(list(alternative), folded)
            if got is None:
                return None
            out |= got
        return frozenset(out)
    if op in _REPEATS:
        low, _, item = av
        return _sequence(list(item), folded) if low >= 1 else None
    if op is _c.IN and all(kind is _c.LITERAL for kind, _ in av):  # a small class such as [$£€]
        return frozenset(chr(code) for _, code in av)
    return None
