"""The bench's varied sample: texts differ and vary in length; everything else is the plain sample's."""

from __future__ import annotations

import json

from streams.commands import sample
from streams.infra.config import Settings
from streams.infra.registry_import import load_seed


def _lines(varied: bool) -> list[dict]:
    return [json.loads(x) for x in sample.generate(3_000, load_seed(Settings().registry_seed), malformed=0, varied=varied)]


def test_varied_texts_differ_and_the_rest_stays() -> None:
    plain, varied = _lines(False), _lines(True)
    texts = [d["post"]["text"] for d in varied if "post" in d]
    assert len(set(texts)) > 0.7 * len(texts)
    assert len({len(t) for t in texts}) > 100
    assert len({d["post"]["text"] for d in plain if "post" in d}) < 50  # why the bench does not use it
    for p, v in zip(plain, varied):
        if "post" in p:
            assert p["post"]["text"] in v["post"]["text"]  # the violation (or not) is still there
            assert {**p["post"], "text": ""} == {**v["post"], "text": ""} and p.get("reports") == v.get("reports")
        else:
            assert p == v
