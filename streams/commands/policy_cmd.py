"""`modstream policy check | dry-run | show`: try a policy file before it goes live, and read any old one.

- `check FILE`: is it valid, and what does it change against the live file, in words;
- `dry-run FILE --from T --to T`: replay that window of posts under it into a fresh shadow
  prefix (streams/drivers/replay.py) and compare the replayed audit with the recorded one
  (streams/commands/audit_diff.py): counts by route, action and category, sample posts per change;
- `show [--version V]`: the live policy, or any version ever used, rebuilt from
  policy-versions.v1 (workers record the file text of each version they load).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from agents.policy import Policy
from streams.infra import topics
from streams.commands.audit_diff import AuditDiff, Change, diff, format_diff, read_audit, read_replayed
from streams.infra.codec import Codec
from streams.infra.config import Settings
from streams.infra.policy_file import load

#: readable names of the file's settings, for `check`
_NAMES = {
    "label": "label", "appeal_url": "appeal link in notices",
    "high_profile.follower_threshold": "high-profile follower threshold",
    "high_profile.require_verified": "high profile requires verification",
    "confidence.min": "confidence floor (every category without its own)",
    "confidence.severe": "severe threshold (every category without its own)",
    "reports.rereview_threshold": "distinct reporters that raise a re-review",
    "reports.window_seconds": "report window (seconds)",
    "min_confidence": "confidence floor", "severe_confidence": "severe threshold",
    "public_interest": "public-interest stance", "review_starts_from": "review starts from",
    "enforcement": "enforcement", "mild_enforcement": "enforcement below the severe threshold", "state": "state",
    "title": "title", "rule_url": "rule link",
}
_MISSING = object()


def _flat(doc: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted key -> value, lists kept whole (an empty mapping, e.g. `rules: {}`, has no keys)."""
    out: dict[str, Any] = {}
    for k, v in doc.items():
        if isinstance(v, Mapping):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(not set)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]" if value else "(none: same as enforcement)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _describe(key: str, before: Any, after: Any) -> str:
    parts = key.split(".")
    if parts[0] == "categories":
        what = f"{parts[1]}: {_NAMES.get(parts[2], parts[2])}"
    elif parts[0] in ("rules", "classifier_heads"):
        kind = "detector rule" if parts[0] == "rules" else "classifier head"
        return f"{kind} {parts[1]}: {before if before is not _MISSING else 'live'} -> " \
               f"{after if after is not _MISSING else 'live'}"
    elif parts[0] == "daily_caps":
        what = f"daily cap on automated {parts[1]}"
    elif parts[0] == "notices":
        return f"notice text '{parts[1]}' changed"
    else:
        what = _NAMES.get(key, key)
    return f"{what}: {_show(before)} -> {_show(after)}"


def changes(live: Policy, new: Policy) -> list[str]:
    """What `new` changes against `live`, one line per setting, in the file's order."""
    a, b = _flat(live.document()), _flat(new.document())

    def value(doc: dict[str, Any], policy: Policy, key: str) -> Any:
        parts = key.split(".")
        if key not in doc and parts[0] == "categories" and parts[-1] in ("min_confidence", "severe_confidence"):
            default = policy.min_confidence if parts[-1] == "min_confidence" else policy.severe_confidence
            return f"the default ({default})"
        return doc.get(key, _MISSING)

    keys = list(a) + [k for k in b if k not in a]
    return [_describe(k, value(a, live, k), value(b, new, k)) for k in keys if a.get(k, _MISSING) != b.get(k, _MISSING)]


def check(settings: Settings, path: str) -> str:
    """`policy check FILE`: raises PolicyFileError when not valid, else says what changes."""
    new = load(path).policy
    live = settings.policy()
    lines = [f"{path}: valid, version {new.version}"]
    diffs = changes(live, new)
    if not diffs:
        lines.append(f"no change against the live policy {live.version} ({settings.policy_file})")
    else:
        lines.append(f"against the live policy {live.version} ({settings.policy_file}), {len(diffs)} change(s):")
        lines += [f"  - {d}" for d in diffs]
    return "\n".join(lines)


# --- dry run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DryRun:
    """A dry run's replay, its diff against the recorded decisions, and where the shadow outputs are."""

    policy: Policy
    prefix: str
    diff: AuditDiff
    categories: Mapping[str, tuple[int, int]]  #: code -> (decisions acting on it before, after)
    recorded: Mapping[str, Mapping[str, Any]]  #: post_id -> recorded audit (for the samples)

    def buckets(self) -> dict[str, list[Change]]:
        """Changed decisions grouped by what changed: 'route actions -> route actions'."""
        out: dict[str, list[Change]] = {}
        for c in self.diff.changed:
            name = f"{c.before.route} [{', '.join(c.before.action_types) or '-'}] -> " \
                   f"{c.after.route} [{', '.join(c.after.action_types) or '-'}]"
            out.setdefault(name, []).append(c)
        return dict(sorted(out.items(), key=lambda kv: -len(kv[1])))

    def report(self, samples: int = 3) -> str:
        d = self.diff
        lines = [f"dry run of {self.policy.version}: replayed into {self.prefix}*", format_diff(d, limit=0), ""]
        lines.append(f"{'category (decisions with actions)':32} {'before':>8} {'after':>8} {'change':>8}")
        for code, (b, a) in sorted(self.categories.items()):
            lines.append(f"  {code:30} {b:8} {a:8} {a - b:+8}")
        for name, group in self.buckets().items():
            lines += ["", f"{len(group)} post(s): {name}"]
            for c in group[:samples]:
                found = ", ".join(f"{v['policy']} {v['confidence']:.2f}" for v in self.recorded[c.post_id]["violations"])
                lines.append(f"  post {c.post_id} (violations: {found or 'none'}); now: {c.after.reasons[0]}"
                             if c.after.reasons else f"  post {c.post_id} (violations: {found or 'none'})")
        return "\n".join(line for line in lines if not line.startswith("... and "))  # the buckets list them


def _acted_on(audit: Mapping[str, Any]) -> set[str]:
    """The categories found in a decision that took action (none when it took none)."""
    return {v["policy"] for v in audit.get("violations") or ()} if audit.get("action_ids") else set()


def dry_run(settings: Settings, codec: Codec, path: str, start: str, end: str, *, prefix: str | None = None,
            bank_files: tuple[str, ...] = ()) -> DryRun:
    """Replay [start, end) of posts.v1 under the file into a new shadow prefix, and diff the audits."""
    from streams.drivers import replay
    pf = load(path)
    prefix = prefix or f"dryrun-{pf.policy.fingerprint[:8]}-{uuid.uuid4().hex[:6]}."
    window = replay.Window(replay.parse_time(start), replay.parse_time(end))
    replay.replay(settings, codec, policy=pf.policy, output=replay.ShadowTopics(prefix), window=window,
                  banks=replay.load_banks([Path(p) for p in bank_files]))
    replayed = read_replayed(settings, codec, prefix)
    ids = {a["post_id"] for a in replayed}
    recorded = [a for a in read_audit(settings, codec, settings.topic(topics.AUDIT)) if a["post_id"] in ids
                and a.get("kind", "post_decision") == "post_decision"]
    latest = {a["post_id"]: a for a in recorded}
    after = {a["post_id"]: a for a in replayed}
    before_counts, after_counts = Counter(), Counter()
    for post_id in latest.keys() & after.keys():
        before_counts.update(_acted_on(latest[post_id]))
        after_counts.update(_acted_on(after[post_id]))
    codes = set(before_counts) | set(after_counts)
    return DryRun(pf.policy, prefix, diff(recorded, replayed),
                  {c: (before_counts[c], after_counts[c]) for c in codes}, latest)


# --- show ---------------------------------------------------------------------------------


def show(settings: Settings, codec: Codec, version: str | None = None, *, listed: bool = False) -> str:
    """The live policy's summary; with `listed`, every recorded version; with `version`, the file text
    of that recorded version (a unique prefix of the version or its fingerprint will do)."""
    from streams.infra import policy_versions
    if version is None and not listed:
        p = settings.policy()
        lines = [f"policy version {p.version} ({settings.policy_file}); high profile: verified and more than "
                 f"{p.follower_threshold:,} followers"]
        for c in p.categories.values():
            lines.append(f"{c.code:28} PIE {c.pie:12} enforce: {', '.join(c.enforcement)}"
                         + (f" (lower severity: {', '.join(c.mild_enforcement)})" if c.mild_enforcement else "")
                         + (" [shadow]" if c.code in p.shadow_policies else ""))
        return "\n".join(lines)
    recorded = policy_versions.read_all(settings, codec)
    if version is None:
        return "\n".join([f"{len(recorded)} version(s) recorded on {settings.topic(topics.POLICY_VERSIONS)}:"]
                         + [f"  {v['version']}  first loaded {v['loaded_at'] or '?'} from {v['source'] or '?'}"
                            for v in recorded.values()])
    matches = [v for k, v in recorded.items() if k == version] or \
              [v for k, v in recorded.items() if k.startswith(version) or v["fingerprint"].startswith(version)]
    if len(matches) != 1:
        raise KeyError(f"{'no' if not matches else 'more than one'} recorded policy version matches {version!r} "
                       f"(recorded: {', '.join(recorded) or 'none yet'}; see `modstream policy show --list`)")
    return matches[0]["text"]
