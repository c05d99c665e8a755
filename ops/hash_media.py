"""Hash image files into the bank file format (PDQ + MD5), for operators building banks.

    python -m ops.hash_media --policy copyright --bank studio-stills IMG... > studio.csv
    modstream banks load studio.csv

Meant for your own reference images (e.g. copyright); never collect abuse material to hash:
those banks come as hashes from the clearing houses. `--write-demo DIR` writes synthetic
images (gradients, shapes, noise) to try the flow end to end. PDQ hashes of images with
quality below `--min-quality` (flat or tiny images, whose hashes match too much) are
skipped with a warning; their MD5 is still written. Needs `pdqhash` and `pillow`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pdqhash
from PIL import Image, ImageDraw

from agents.policy import CATEGORIES
from streams.infra.banks import BankEntry, write_entries

MIN_QUALITY = 50  #: below this PDQ flags its own hash as unreliable (reference recommendation)


@dataclass(frozen=True, slots=True)
class MediaHashes:
    md5: str
    pdq: str
    quality: int  #: PDQ quality 0..100


def pdq_hex(image: Image.Image) -> tuple[str, int]:
    """PDQ hash of an image as 64 hex chars (the reference big-endian form) and its quality."""
    bits, quality = pdqhash.compute(np.asarray(image.convert("RGB"), dtype=np.uint8))
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex(), int(quality)


def hash_file(path: str | Path) -> MediaHashes:
    data = Path(path).read_bytes()
    with Image.open(path) as image:
        pdq, quality = pdq_hex(image)
    return MediaHashes(hashlib.md5(data).hexdigest(), pdq, quality)


def synthetic_image(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A deterministic, content-free test image: a colour gradient, 14 shapes, light noise.

    Shapes are 1/12..1/4 of the width: enough mid-frequency structure for a PDQ quality
    above 50, so copies survive resizing and re-encoding (unrelated seeds differ by ~128 bits)."""
    rng = np.random.default_rng(seed)
    w, h = size
    a, b = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
    t = np.linspace(0, 1, w)[None, :, None] * rng.uniform(0.2, 1) + np.linspace(0, 1, h)[:, None, None] * rng.uniform(0, 0.8)
    image = Image.fromarray((a * (1 - t / t.max()) + b * t / t.max()).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        cx, cy, r = int(rng.integers(0, w)), int(rng.integers(0, h)), int(rng.integers(w // 12, w // 4))
        box = (cx - r, int(cy - r * rng.uniform(0.5, 1.5)), cx + r, int(cy + r * rng.uniform(0.5, 1.5)))
        fill = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=fill)
    noisy = np.asarray(image, dtype=np.float64) + rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def entries_for(paths: Sequence[str | Path], policy: str, bank: str, source: str, min_quality: int = MIN_QUALITY) -> list[BankEntry]:
    """Bank rows for image files: one md5 row each, plus a pdq row when the hash is reliable."""
    out = []
    for p in paths:
        h = hash_file(p)
        out.append(BankEntry(h.md5, "md5", policy, bank, source))
        if h.quality >= min_quality:
            out.append(BankEntry(h.pdq, "pdq", policy, bank, source))
        else:
            print(f"{p}: PDQ quality {h.quality} < {min_quality}, pdq row skipped (md5 kept)", file=sys.stderr)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ops.hash_media", description=__doc__.split("\n")[0])
    ap.add_argument("images", nargs="*", type=Path)
    ap.add_argument("--policy", choices=sorted(CATEGORIES), help="policy code the bank stands for")
    ap.add_argument("--bank", help="bank name (a-z 0-9 . _ -)")
    ap.add_argument("--source", default="ops.hash_media", help="provenance note stored with the bank")
    ap.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    ap.add_argument("--no-header", action="store_true", help="omit the CSV header (to append to a file)")
    ap.add_argument("--min-quality", type=int, default=MIN_QUALITY)
    ap.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    ap.add_argument("--write-demo", type=Path, metavar="DIR", help="write synthetic demo images to DIR and exit")
    ap.add_argument("--count", type=int, default=4, help="how many demo images (with --write-demo)")
    ap.add_argument("--seed", type=int, default=0, help="first demo image seed (with --write-demo)")
    args = ap.parse_args(argv)
    if args.write_demo:
        args.write_demo.mkdir(parents=True, exist_ok=True)
        for s in range(args.seed, args.seed + args.count):
            synthetic_image(s).save(args.write_demo / f"demo-{s}.png")
            print(args.write_demo / f"demo-{s}.png")
        return 0
    if not (args.images and args.policy and args.bank):
        ap.error("give --policy, --bank and at least one image (or --write-demo DIR)")
    entries = entries_for(args.images, args.policy, args.bank, args.source, args.min_quality)
    if args.output:
        with args.output.open("w", encoding="utf-8") as out:
            write_entries(entries, out, args.format, header=not args.no_header)
    else:
        write_entries(entries, sys.stdout, args.format, header=not args.no_header)
    return 0


if __name__ == "__main__":
    sys.exit(main())
