"""The policy file: YAML in, a checked `agents.policy.Policy` out, errors naming the key and line.

Why a file: trust & safety change policy far more often than code. The file holds
everything that changes a decision (see `policy/default.yaml`); `Policy.version` is its
label plus a digest of the content, so any change is a new version on every decision.
Parsing keeps PyYAML's nodes (`yaml.compose`), so every error can say where: "policy.yaml:
line 42: categories.abuse_harassment.severe_confidence: 1.5 is outside 0..1". Invariants
(CSE, the exception, enforcement) are checked by `Policy` itself, and reported here with
the line of the key they concern. Bounded: size, no aliases, a fixed shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from agents.policy import CATEGORIES, NOTICE_FIELDS, RULE_STATES, Category, Policy, PolicyError

MAX_BYTES = 256 * 1024  #: a policy file is a few kB; anything near this is not one
PIE_STANCES = ("never", "unlikely", "rare", "more_likely")


class PolicyFileError(ValueError):
    """A file that is not a valid policy: where, what, and (in the message) how to fix it."""


@dataclass(frozen=True)
class PolicyFile:
    """A loaded file: the policy and the exact text it came from (kept per version for `policy show`)."""

    policy: Policy
    text: str
    source: str


class _Reader:
    """Walks the composed YAML nodes, turning each into a value or an error with its line."""

    def __init__(self, source: str, text: str):
        self.source, self.text = source, text
        self.lines: dict[str, int] = {}  #: dotted key -> line (1-based), for invariant errors

    def fail(self, node: yaml.Node | None, key: str, message: str) -> PolicyFileError:
        line = f"line {node.start_mark.line + 1}: " if node is not None else ""
        return PolicyFileError(f"{self.source}: {line}{key}: {message}")

    def scalar(self, node: yaml.Node, key: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, key, "expected a single value, not a list or mapping")
        try:
            return yaml.constructor.SafeConstructor().construct_object(node)
        except yaml.YAMLError as exc:
            raise self.fail(node, key, f"not a valid value: {getattr(exc, 'problem', None) or exc}") from None

    def mapping(self, node: yaml.Node, key: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key, "expected a mapping (key: value lines)")
        out: dict[str, yaml.Node] = {}
        for k, v in node.value:
            name = self.scalar(k, key or "top level")
            if not isinstance(name, str):
                raise self.fail(k, key, f"key {name!r} must be text")
            where = f"{key}.{name}" if key else name
            if name in out:
                raise self.fail(k, where, "appears twice")
            out[name] = v
            self.lines[where] = k.start_mark.line + 1
        return out

    def fields(self, node: yaml.Node, key: str, required: dict[str, Callable], optional: dict[str, Callable]
               ) -> dict[str, Any]:
        """A mapping with exactly these keys; each value read by its reader (node, dotted key) -> value."""
        m = self.mapping(node, key)
        unknown = sorted(set(m) - set(required) - set(optional))
        if unknown:
            name = unknown[0]
            raise self.fail(m[name], f"{key}.{name}" if key else name,
                            f"unknown key; expected {', '.join(sorted({**required, **optional}))}")
        values = {name: (required.get(name) or optional[name])(v, f"{key}.{name}" if key else name)
                  for name, v in m.items()}
        missing = sorted(set(required) - set(m))
        if missing:
            raise self.fail(node, key or "top level", f"missing {', '.join(missing)}")
        return values

    # --- typed readers ---

    def text_value(self, node: yaml.Node, key: str) -> str:
        value = self.scalar(node, key)
        if not isinstance(value, str) or not value.strip() or len(value) > 2000:
            raise self.fail(node, key, f"expected text of 1 to 2,000 characters, got {value!r}")
        return value

    def integer(self, node: yaml.Node, key: str) -> int:
        value = self.scalar(node, key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**12:
            raise self.fail(node, key, f"expected a whole number >= 0, got {value!r}")
        return value

    def number(self, node: yaml.Node, key: str) -> float:
        value = self.scalar(node, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, key, f"expected a number, got {value!r}")
        return float(value)

    def fraction(self, node: yaml.Node, key: str) -> float:
        value = self.number(node, key)
        if not 0.0 <= value <= 1.0:
            raise self.fail(node, key, f"{value} is outside 0..1")
        return value

    def boolean(self, node: yaml.Node, key: str) -> bool:
        value = self.scalar(node, key)
        if not isinstance(value, bool):
            raise self.fail(node, key, f"expected true or false, got {value!r}")
        return value

    def one_of(self, choices: tuple[str, ...]) -> Callable[[yaml.Node, str], str]:
        def read(node: yaml.Node, key: str) -> str:
            self.scalar(node, key)  # a single value...
            value = node.value  # ...read as written: YAML 1.1 would turn `off` into false
            if value not in choices:
                raise self.fail(node, key, f"{value!r}: expected one of {', '.join(choices)}")
            return value
        return read

    def actions(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode) or len(node.value) > 20:
            raise self.fail(node, key, "expected a list of action types, e.g. [remove, suspend_account]")
        return tuple(self.text_value(item, f"{key}[{i}]") for i, item in enumerate(node.value))

    def table(self, read: Callable[[yaml.Node, str], Any]) -> Callable[[yaml.Node, str], dict[str, Any]]:
        def each(node: yaml.Node, key: str) -> dict[str, Any]:
            if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
                return {}
            m = self.mapping(node, key)
            if len(m) > 1000:
                raise self.fail(node, key, "more than 1,000 entries")
            return {name: read(v, f"{key}.{name}") for name, v in m.items()}
        return each

    def category(self, code: str) -> Callable[[yaml.Node, str], tuple[Category, str]]:
        """A category and its state (live or shadow)."""
        def read(node: yaml.Node, key: str) -> tuple[Category, str]:
            f = self.fields(node, key, {
                "title": self.text_value, "rule_url": self.text_value, "public_interest": self.one_of(PIE_STANCES),
                "review_starts_from": self.one_of(("notice", "remove")), "enforcement": self.actions,
            }, {"mild_enforcement": self.actions,
                "state": self.one_of(("live", "shadow")), "min_confidence": self.fraction,
                "severe_confidence": self.fraction})
            return Category(code, f["title"], f["rule_url"], f["public_interest"], f["review_starts_from"],
                            f["enforcement"], f.get("mild_enforcement", ()),
                            min_confidence=f.get("min_confidence"),
                            severe_confidence=f.get("severe_confidence")), f.get("state", "live")
        return read

    def policy(self, node: yaml.Node) -> Policy:
        f = self.fields(node, "", {
            "label": self.text_value, "appeal_url": self.text_value,
            "high_profile": lambda n, k: self.fields(n, k, {"follower_threshold": self.integer,
                                                            "require_verified": self.boolean}, {}),
            "confidence": lambda n, k: self.fields(n, k, {"min": self.fraction, "severe": self.fraction}, {}),
            "daily_caps": self.table(self.integer),
            "reports": lambda n, k: self.fields(n, k, {"rereview_threshold": self.integer,
                                                       "window_seconds": self.number}, {}),
            "categories": self._categories,
            "notices": lambda n, k: self.fields(n, k, {name: self.text_value for name in NOTICE_FIELDS}, {}),
        }, {"rules": self.table(self.one_of(RULE_STATES)), "classifier_heads": self.table(self.one_of(RULE_STATES))})
        cats = f["categories"]
        return Policy(label=f["label"], follower_threshold=f["high_profile"]["follower_threshold"],
                      require_verified=f["high_profile"]["require_verified"], severe_confidence=f["confidence"]["severe"],
                      min_confidence=f["confidence"]["min"], appeal_url=f["appeal_url"],
                      categories={code: c for code, (c, _) in cats.items()},
                      shadow_policies=frozenset(code for code, (_, state) in cats.items() if state == "shadow"),
                      daily_caps=f["daily_caps"], report_review_threshold=f["reports"]["rereview_threshold"],
                      report_window_seconds=f["reports"]["window_seconds"], rule_states=f.get("rules", {}),
                      head_states=f.get("classifier_heads", {}), notices=f["notices"])

    def _categories(self, node: yaml.Node, key: str) -> dict[str, tuple[Category, str]]:
        m = self.mapping(node, key)
        for code, v in m.items():
            if code not in CATEGORIES:
                raise self.fail(v, f"{key}.{code}", f"not a policy code the detectors know ({', '.join(CATEGORIES)})")
        missing = sorted(set(CATEGORIES) - set(m))
        if missing:
            raise self.fail(node, key, f"missing {', '.join(missing)}: every category needs its enforcement "
                                       "(to stop acting on one, set its state: shadow)")
        return {code: self.category(code)(v, f"{key}.{code}") for code, v in m.items()}


def parse(text: str, source: str = "policy") -> Policy:
    """The Policy a file's text describes; PolicyFileError (key, line, how to fix) when it is not valid."""
    if len(text.encode()) > MAX_BYTES:
        raise PolicyFileError(f"{source}: {len(text.encode()):,} bytes; a policy file holds at most {MAX_BYTES:,}")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise PolicyFileError(f"{source}: line {event.start_mark.line + 1}: YAML aliases (*name) are not "
                                      "allowed: write the value out")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise PolicyFileError(f"{source}: {where}not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if node is None:
        raise PolicyFileError(f"{source}: empty file; start from policy/default.yaml")
    reader = _Reader(source, text)
    try:
        return reader.policy(node)
    except PolicyError as exc:  # an invariant: point at the key it concerns, or its nearest parent
        key = exc.key
        while key and key not in reader.lines:
            key = key.rpartition(".")[0]
        line = f"line {reader.lines[key]}: " if key else ""
        raise PolicyFileError(f"{source}: {line}refused: {exc}") from None


def load(path: Path | str) -> PolicyFile:
    """Read and check a policy file."""
    path = Path(path)
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise PolicyFileError(f"{path}: cannot read it ({exc.strerror}); check MODSTREAM_POLICY_FILE") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return PolicyFile(parse(text, str(path)), text, str(path))


def dump(policy: Policy, header: str = "") -> str:
    """A policy as file text (the shipped default is written this way, then commented by hand)."""
    return header + yaml.safe_dump(policy.document(), sort_keys=False, allow_unicode=True, width=110)
