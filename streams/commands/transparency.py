"""`modstream report transparency`: counts of actions by rule, action type, country and automation.

Why: platforms publish these twice a year (DSA Art. 15/24 style). The counts come from
actions.v1 (rule, type, automated), deduplicated by action_id (consumers apply each id
once). Neither Action nor AuditRecord carries the post's country, so it is looked up:
audit.v1 post_decision records name the posts.v1 record they decided (inputs[0]), and
that record holds `country`. Posts outside posts.v1 retention count as "unknown".
Output: `transparency.csv` (one row per rule, type, country, automation), `.json`
(totals per dimension and the rows) and `.png` (four bar charts a person can read).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from streams.infra import topics
from streams.infra.codec import Codec, CodecError
from streams.infra.config import Settings
from streams.drivers.replay import Range, Window, parse_time, read_ranges, resolve_window

UNKNOWN = "unknown"
CSV_FIELDS = ("rule", "action_type", "country", "automation", "actions")


def automation(automated: bool) -> str:
    return "automated" if automated else "human"


@dataclass(frozen=True)
class TransparencyReport:
    """Action counts for one period; `rows` is the full cross-tabulation, the rest its margins."""

    period: str
    total: int
    by_rule: Mapping[str, int]
    by_action_type: Mapping[str, int]
    by_country: Mapping[str, int]
    by_automation: Mapping[str, int]
    rows: tuple[tuple[str, str, str, str, int], ...]  #: (rule, action type, country, automation, actions)

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "total_actions": self.total, "by_rule": dict(self.by_rule),
                "by_action_type": dict(self.by_action_type), "by_country": dict(self.by_country),
                "by_automation": dict(self.by_automation),
                "rows": [dict(zip(CSV_FIELDS, r)) for r in self.rows]}


def _ranked(c: Counter[str]) -> dict[str, int]:
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def report(actions: Iterable[Mapping[str, Any]], countries: Mapping[str, str | None], period: str = "") -> TransparencyReport:
    """Count actions (Action values; repeats of an action_id count once) with the post countries given."""
    seen: dict[str, tuple[str, str, str, str]] = {}
    for a in actions:
        seen.setdefault(a["action_id"], (a["policy"], a["type"], countries.get(a["post_id"]) or UNKNOWN,
                                         automation(bool(a["automated"]))))
    cross = Counter(seen.values())
    margins: list[Counter[str]] = [Counter(), Counter(), Counter(), Counter({"automated": 0, "human": 0})]
    for key, n in cross.items():
        for i, m in enumerate(margins):
            m[key[i]] += n
    rows = tuple((*k, n) for k, n in sorted(cross.items()))
    return TransparencyReport(period, len(seen), *(_ranked(m) for m in margins), rows)


def post_refs(audits: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """post_id -> the posts.v1 InputRef its automated decision was made from (inputs[0])."""
    return {a["post_id"]: a["inputs"][0] for a in audits
            if a.get("kind") == "post_decision" and a.get("inputs") and a["inputs"][0]["offset"] >= 0}


def countries(settings: Settings, codec: Codec, refs: Mapping[str, Mapping[str, Any]]) -> dict[str, str | None]:
    """Each post's country, read from the posts.v1 records the audit points at (digest checked)."""
    import hashlib

    wanted: dict[tuple[str, int, int], tuple[str, str]] = {
        (r["topic"], r["partition"], r["offset"]): (pid, r["digest"]) for pid, r in refs.items()}
    spans: dict[tuple[str, int], list[int]] = {}
    for t, p, o in wanted:
        spans.setdefault((t, p), []).append(o)
    ranges = [Range(t, p, min(os), max(os) + 1) for (t, p), os in spans.items()]
    out: dict[str, str | None] = {}
    for rec in read_ranges(settings, ranges):
        hit = wanted.get((rec.topic, rec.partition, rec.offset))
        if hit is None or rec.value is None or hashlib.sha256(rec.value).hexdigest() != hit[1]:
            continue
        try:
            out[hit[0]] = codec.decode(rec.value, expect=topics.POSTS.schema)[1].get("country")
        except CodecError:
            continue
    return out


def collect(settings: Settings, codec: Codec, window: Window) -> TransparencyReport:
    """Actions in the window (broker time) with countries via the audit trail (read up to the window end)."""
    def values(spec: topics.TopicSpec, ranges: list[Range]) -> list[dict[str, Any]]:
        return [codec.decode(r.value, expect=spec.schema)[1] for r in read_ranges(settings, ranges) if r.value]

    actions = values(topics.ACTIONS, resolve_window(settings, settings.topic(topics.ACTIONS), window))
    audit_topic = settings.topic(topics.AUDIT)
    # decisions are audited before or with their actions, but human actions may act on older posts
    audit_ranges = [Range(r.topic, r.partition, 0, r.end) for r in resolve_window(settings, audit_topic, window)]
    wanted = {a["post_id"] for a in actions}
    refs = {p: r for p, r in post_refs(values(topics.AUDIT, audit_ranges)).items() if p in wanted}
    period = " to ".join(t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") for t in (window.start, window.end))
    return report(actions, countries(settings, codec, refs), period)


def write(rep: TransparencyReport, out_dir: Path, name: str = "transparency") -> dict[str, Path]:
    """CSV, JSON and PNG side by side; returns their paths by kind."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / f"{name}.{kind}" for kind in ("csv", "json", "png")}
    with paths["csv"].open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_FIELDS)
        w.writerows(rep.rows)
    paths["json"].write_text(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    chart(rep, paths["png"])
    return paths


def chart(rep: TransparencyReport, path: Path) -> None:
    """Four horizontal bar charts (rule, action type, country, automated vs human) in one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    panels = (("Actions by rule", rep.by_rule), ("Actions by action type", rep.by_action_type),
              ("Actions by country of the post", rep.by_country), ("Automated vs human", rep.by_automation))
    fig, axes = plt.subplots(2, 2, figsize=(13, 9), dpi=100)
    for ax, (title, counts) in zip(axes.flat, panels):
        labels, values = list(counts)[::-1], list(counts.values())[::-1]
        bars = ax.barh(labels or ["(none)"], values or [0], color="#3b6ea8")
        ax.bar_label(bars, padding=3, fontsize=9)
        ax.set_title(title, fontsize=12, loc="left")
        ax.tick_params(axis="y", labelsize=9)
        ax.set_xlim(0, max([*values, 1]) * 1.15)  # an empty period still gets a readable axis
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(f"modstream transparency report: {rep.total:,} actions" + (f"\n{rep.period}" if rep.period else ""),
                 fontsize=14)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def run(settings: Settings, codec: Codec, *, start: str, end: str, out_dir: str = "transparency") -> dict[str, Path]:
    """`modstream report transparency --from T --to T [--out DIR]`."""
    return write(collect(settings, codec, Window(parse_time(start), parse_time(end))), Path(out_dir))
