"""HashBank: PDQ near matching of altered copies, MD5 exact matching, disabling, determinism.

Every image is synthetic (`ops.hash_media.synthetic_image`: gradients, shapes, noise; plus
drawn text); bank names and policies are labels. PDQ is robust to re-encoding, resizing,
brightness and small overlays, but not to real crops: a 1% trim per side stays well inside
the threshold here, 5% does not (a known PDQ limit), so only the small crop is asserted.
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance

from agents.hashbank import PDQ_THRESHOLD, Bank, BankMatch, HashBank, pdq_confidence
from agents.records import Media
from ops.hash_media import hash_file, main as hash_media_main, pdq_hex, synthetic_image
from streams.infra.banks import BankFileError, read_file, to_banks

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "banks" / "demo-banks.csv"
SEEDS = range(8)


def _jpeg(image: Image.Image, quality: int = 40) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def _crop(image: Image.Image, fraction: float = 0.01) -> Image.Image:
    w, h = image.size
    dx, dy = max(1, int(w * fraction)), max(1, int(h * fraction))
    return image.crop((dx, dy, w - dx, h - dy))


def _watermark(image: Image.Image) -> Image.Image:
    image = image.copy()
    ImageDraw.Draw(image).text((image.width - 120, image.height - 18), "(c) demo studio", fill=(255, 255, 255))
    return image


ALTERATIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "resize": lambda im: im.resize((im.width // 2, im.height // 2)),
    "jpeg40": _jpeg,
    "crop1pct": _crop,
    "brighter": lambda im: ImageEnhance.Brightness(im).enhance(1.2),
    "watermark": _watermark,
}


def media(pdq: str | None = None, md5: str | None = None, media_id: str = "m1") -> Media:
    return Media(media_id, "image", pdq=pdq, md5=md5)


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@pytest.fixture(scope="module")
def originals() -> dict[int, Image.Image]:
    return {s: synthetic_image(s) for s in SEEDS}


@pytest.fixture(scope="module")
def bank(originals: dict[int, Image.Image]) -> HashBank:
    def png_md5(im: Image.Image) -> str:
        buf = io.BytesIO()
        im.save(buf, "PNG")
        return hashlib.md5(buf.getvalue()).hexdigest()

    half = len(SEEDS) // 2
    ncii = {s: originals[s] for s in SEEDS if s < half}
    rights = {s: originals[s] for s in SEEDS if s >= half}
    return HashBank.build([
        Bank("ncii-demo", "non_consensual_nudity", pdq=frozenset(pdq_hex(im)[0] for im in ncii.values()),
             md5=frozenset(png_md5(im) for im in ncii.values())),
        Bank("copyright-demo", "copyright", pdq=frozenset(pdq_hex(im)[0] for im in rights.values())),
    ])


def test_synthetic_images_hash_with_good_quality(originals: dict[int, Image.Image]) -> None:
    for im in originals.values():
        pdq, quality = pdq_hex(im)
        assert len(pdq) == 64 and quality >= 50


@pytest.mark.parametrize("alteration", sorted(ALTERATIONS))
@pytest.mark.parametrize("seed", SEEDS)
def test_altered_copies_match_within_threshold(bank: HashBank, originals, alteration: str, seed: int) -> None:
    altered = pdq_hex(ALTERATIONS[alteration](originals[seed]))[0]
    (m,) = bank.match(media(pdq=altered))
    expected = ("ncii-demo", "non_consensual_nudity") if seed < len(SEEDS) // 2 else ("copyright-demo", "copyright")
    assert (m.bank, m.policy, m.kind) == (*expected, "pdq")
    assert m.distance == distance(altered, m.hash) <= PDQ_THRESHOLD
    assert m.hash == pdq_hex(originals[seed])[0]
    assert 0.8 <= m.confidence <= 1.0


def test_unrelated_images_do_not_match(bank: HashBank) -> None:
    for seed in range(1000, 1040):
        assert bank.match(media(pdq=pdq_hex(synthetic_image(seed))[0])) == []


def test_md5_is_exact_only(bank: HashBank, originals) -> None:
    buf = io.BytesIO()
    originals[0].save(buf, "PNG")
    exact = hashlib.md5(buf.getvalue()).hexdigest()
    reencoded = hashlib.md5(_jpeg(originals[0], 95).tobytes()).hexdigest()
    (m,) = bank.match(media(md5=exact.upper()))
    assert (m.kind, m.bank, m.distance, m.confidence, m.hash) == ("md5", "ncii-demo", 0, 1.0, exact)
    assert bank.match(media(md5=reencoded)) == []
    assert bank.match(media(md5="0" * 32)) == []


def test_md5_and_pdq_of_one_media_both_reported_strongest_first(bank: HashBank, originals) -> None:
    buf = io.BytesIO()
    originals[1].save(buf, "PNG")
    matches = bank.match(media(pdq=pdq_hex(_jpeg(originals[1]))[0], md5=hashlib.md5(buf.getvalue()).hexdigest()))
    assert [m.kind for m in matches] == ["md5", "pdq"]


def test_confidence_mapping() -> None:
    assert pdq_confidence(0) == 1.0
    assert pdq_confidence(PDQ_THRESHOLD) == 0.8
    values = [pdq_confidence(d) for d in range(PDQ_THRESHOLD + 1)]
    assert values == sorted(values, reverse=True)
    assert pdq_confidence(23) >= 0.85 > pdq_confidence(24)  # Policy.severe_confidence boundary


def test_disabled_bank_does_not_match_and_changes_version(bank: HashBank, originals) -> None:
    off = HashBank.build([b if b.name != "ncii-demo" else Bank(b.name, b.policy, False, b.source, b.md5, b.pdq)
                          for b in bank.banks])
    probe = media(pdq=pdq_hex(originals[0])[0])
    assert bank.match(probe) and off.match(probe) == []
    assert off.version != bank.version
    assert [b.name for b in off.banks] == ["copyright-demo", "ncii-demo"]  # kept, by name, for listings


def test_deterministic_version_and_matches(bank: HashBank, originals) -> None:
    again = HashBank.build(reversed(bank.banks))
    probe = media(pdq=pdq_hex(_crop(originals[5]))[0])
    assert again.version == bank.version and len(bank.version) == 12
    assert again.match(probe) == bank.match(probe)
    assert HashBank.empty().version == HashBank.build([]).version != bank.version


def test_tie_in_one_bank_resolves_to_lowest_hash() -> None:
    a, b = "0" * 63 + "3", "0" * 63 + "5"  # both at distance 1 from ...1
    hb = HashBank.build([Bank("b", "copyright", pdq=frozenset({b, a}))])
    (m,) = hb.match(media(pdq="0" * 63 + "1"))
    assert (m.hash, m.distance) == (a, 1)


def test_complement_hash_is_not_a_match() -> None:
    hb = HashBank.build([Bank("b", "copyright", pdq=frozenset({"0" * 64}))])
    assert hb.match(media(pdq="f" * 64)) == []  # distance 256 must not wrap to 0


def test_invalid_media_hashes_are_ignored(bank: HashBank) -> None:
    assert bank.match(media(pdq="zz" * 32, md5="abc")) == []


def test_evidence_and_source_format(bank: HashBank) -> None:
    assert BankMatch("m1", "copyright", "cr", "pdq", 12, "0" * 64, 0.9).evidence == 'pdq bank "cr" distance 12 media m1'
    assert BankMatch("m1", "copyright", "cr", "md5", 0, "0" * 32, 1.0).evidence == 'md5 bank "cr" media m1'
    assert bank.source == f"hashbank@{bank.version}"


@pytest.mark.parametrize("bad, problem", [
    (Bank("Bad Name", "copyright"), "bank name"),
    (Bank("b", "copyright", pdq=frozenset({"ab"})), "64 hex"),
    (Bank("b", "copyright", md5=frozenset({"A" * 32})), "32 hex"),
])
def test_build_rejects_bad_banks(bad: Bank, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        HashBank.build([bad])


def test_build_rejects_duplicate_names() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        HashBank.build([Bank("b", "copyright"), Bank("b", "terrorism")])


def test_many_media_in_chunks_match_like_one_by_one(bank: HashBank, originals) -> None:
    many = [media(pdq=pdq_hex(_jpeg(originals[s % len(SEEDS)]))[0], media_id=f"m{s}") for s in range(20)]
    assert sorted(bank.match_all(many), key=lambda m: m.media_id) == sorted(
        (m for one in many for m in bank.match(one)), key=lambda m: m.media_id)


def test_match_is_fast_on_a_100k_bank() -> None:
    rng = np.random.default_rng(7)
    hexes = [row.tobytes().hex() for row in rng.integers(0, 256, (100_000, 32), dtype=np.uint8)]
    hb = HashBank.build([Bank("big", "copyright", pdq=frozenset(hexes))])
    post_media = [media(pdq=hexes[i], media_id=f"m{i}") for i in range(4)]
    hb.match_all(post_media)  # warm up
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        found = hb.match_all(post_media)
        runs.append(time.perf_counter() - t0)
    assert {m.media_id for m in found} == {"m0", "m1", "m2", "m3"}
    assert min(runs) < 0.05, f"{min(runs) * 1e3:.1f} ms for 4 media against 100k PDQ hashes"


# ---- files: the demo fixture and the ops tool produce loadable, matching banks ----------


def test_demo_fixture_loads_and_matches_its_synthetic_images() -> None:
    hb = HashBank.build(to_banks(read_file(FIXTURE)))
    assert {(b.name, b.policy) for b in hb.banks} == {
        ("cse-demo", "child_sexual_exploitation"), ("ncii-demo", "non_consensual_nudity"),
        ("terror-demo", "terrorism"), ("copyright-demo", "copyright")}
    assert all(b.source.startswith("synthetic") and len(b.pdq) == 2 and len(b.md5) == 2 for b in hb.banks)
    for seed, bank in ((100, "cse-demo"), (201, "ncii-demo"), (300, "terror-demo"), (401, "copyright-demo")):
        (m,) = hb.match(media(pdq=pdq_hex(_jpeg(synthetic_image(seed)))[0]))
        assert m.bank == bank


def test_hash_media_tool_writes_a_loadable_bank(tmp_path: Path, capsys) -> None:
    assert hash_media_main(["--write-demo", str(tmp_path / "img"), "--seed", "3", "--count", "2"]) == 0
    images = sorted((tmp_path / "img").glob("*.png"))
    flat = tmp_path / "img" / "flat.png"
    Image.new("RGB", (64, 64), (128, 128, 128)).save(flat)
    out = tmp_path / "bank.jsonl"
    assert hash_media_main(["--policy", "copyright", "--bank", "studio", "--format", "jsonl", "-o", str(out),
                            *map(str, images), str(flat)]) == 0
    assert "quality" in capsys.readouterr().err  # the flat image's PDQ is skipped, its md5 kept
    entries = read_file(out)
    assert [e.kind for e in entries] == ["md5", "pdq", "md5", "pdq", "md5"]
    hb = HashBank.build(to_banks(entries))
    assert hb.match(media(md5=hash_file(images[0]).md5))[0].bank == "studio"


@pytest.mark.parametrize("content, line, fld", [
    ("hash,kind,policy\n", 1, "header"),
    ("hash,kind,policy,bank,source\n" + "a" * 32 + ",sha1,copyright,b,\n", 2, "kind"),
    ("hash,kind,policy,bank,source\n" + "a" * 31 + ",md5,copyright,b,\n", 2, "hash"),
    ("hash,kind,policy,bank,source\n" + "a" * 32 + ",md5,piracy,b,\n", 2, "policy"),
    ("hash,kind,policy,bank,source\n" + "a" * 32 + ",md5,copyright,B B,\n", 2, "bank"),
    ("hash,kind,policy,bank,source\n" + "a" * 32 + ",md5,copyright,b,\n" + "b" * 32 + ",md5,terrorism,b,\n", 3, "policy"),
])
def test_bank_file_errors_name_line_field_and_fix(tmp_path: Path, content: str, line: int, fld: str) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(content)
    with pytest.raises(BankFileError) as err:
        read_file(path)
    assert (err.value.line, err.value.field) == (line, fld)
    assert str(path) in str(err.value) and "Fix:" in str(err.value)


def test_jsonl_errors_and_unknown_suffix(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text('{"hash": "' + "a" * 32 + '", "kind": "md5", "policy": "copyright", "bank": "b", "source": ""}\nnot json\n')
    with pytest.raises(BankFileError, match=r"b.jsonl:2: field 'line'"):
        read_file(tmp_path / "b.jsonl")
    (tmp_path / "b.txt").write_text("")
    with pytest.raises(BankFileError, match="csv or .jsonl"):
        read_file(tmp_path / "b.txt")
