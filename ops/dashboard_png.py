"""Draw the Grafana dashboard's panels (ops/grafana/modstream.json) from a Prometheus's HTTP API as one PNG.

For the README, and for anyone without Grafana: the same queries, real data.

    python -m ops.dashboard_png --prometheus http://127.0.0.1:19090 --minutes 15 --out docs/dashboard.png
"""

from __future__ import annotations

import argparse
import json
import re
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from ops.local import OPS_DIR

BOARD = OPS_DIR / "grafana" / "modstream.json"


def query_range(url: str, expr: str, start: float, end: float, step: float) -> list[dict]:
    params = urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{url}/api/v1/query_range?{params}", timeout=30) as resp:
        return json.load(resp)["data"]["result"]


def legend(template: str, labels: dict[str, str]) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template).strip() or "value"


def render(url: str, out: Path, minutes: float = 15.0, board: Path = BOARD) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = json.loads(board.read_text())["panels"]
    end = time.time()
    start, step = end - minutes * 60, max(5.0, minutes * 60 / 200)
    cols = 2
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(12, 2.3 * rows), squeeze=False)
    drawn = 0
    for ax, panel in zip(axes.flat, panels):
        for target in panel["targets"]:
            for series in query_range(url, target["expr"], start, end, step):
                xs = [(float(t) - end) / 60 for t, _ in series["values"]]
                ys = [float(v) for _, v in series["values"]]
                ax.plot(xs, ys, label=legend(target.get("legendFormat", ""), series["metric"]), linewidth=1.2)
                drawn += 1
        ax.set_title(panel["title"], fontsize=9)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("minutes ago", fontsize=7)
        if ax.lines:
            ax.legend(fontsize=6, loc="upper left", ncol=2)
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, fontsize=8, color="grey")
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(f"modstream, last {minutes:.0f} minutes (from {url})", fontsize=10)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=72)
    from PIL import Image  # matplotlib's own dependency: a 64-colour palette keeps the file small

    Image.open(out).convert("RGB").quantize(64).save(out, optimize=True)
    return drawn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.dashboard_png", description=__doc__.splitlines()[0])
    parser.add_argument("--prometheus", default="http://127.0.0.1:19090")
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--out", type=Path, default=Path("docs/dashboard.png"))
    args = parser.parse_args(argv)
    n = render(args.prometheus, args.out, args.minutes)
    print(f"{args.out}: {n} series")
    return 0 if n else 1


if __name__ == "__main__":
    raise SystemExit(main())
