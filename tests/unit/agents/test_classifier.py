"""The committed classifier artifact loads offline and scores with numpy only."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from agents.classifier import DEFAULT_ARTIFACT, FEATURES_VERSION, TextClassifier, features


@pytest.fixture(scope="module")
def clf() -> TextClassifier:
    return TextClassifier.load()


def test_artifact_is_small_and_committed() -> None:
    assert DEFAULT_ARTIFACT.exists()
    assert DEFAULT_ARTIFACT.stat().st_size < 10 * 1024 * 1024


def test_loads_with_labels_version_thresholds(clf: TextClassifier) -> None:
    assert clf.labels == ("hateful_conduct", "abuse_harassment")
    assert clf.version
    assert set(clf.thresholds) == set(clf.labels)
    assert all(0.0 < t < 1.0 for t in clf.thresholds.values())
    assert clf.weights.shape == (len(clf.labels), len(clf.vocab)) == (2, clf.idf.shape[0])


def test_predict_batch_shape_range_and_order(clf: TextClassifier) -> None:
    texts = ["have a lovely day", "you are a stupid bitch", ""]
    out = clf.predict_batch(texts)
    assert len(out) == 3
    assert all(set(p) == set(clf.labels) and all(0.0 <= v <= 1.0 for v in p.values()) for p in out)
    assert out == [clf.predict_batch([t])[0] for t in texts]  # batching changes nothing
    assert out[1]["abuse_harassment"] > out[0]["abuse_harassment"]


def test_deterministic(clf: TextClassifier) -> None:
    assert clf.predict_batch(["x y z"]) == clf.predict_batch(["x y z"])


def test_no_scikit_learn_or_torch_at_run_time(clf: TextClassifier) -> None:
    clf.predict_batch(["anything"])
    src = Path(sys.modules[TextClassifier.__module__].__file__ or "").read_text()
    imports = [line for line in src.splitlines() if line.startswith(("import ", "from "))]
    assert not any(m in line for line in imports for m in ("sklearn", "torch", "transformers"))


def test_features_fold_evasions() -> None:
    assert "w:kil" in features("K.I.L.L @someone http://x.y")
    assert "w:user" in features("@someone hi") and "w:someone" not in features("@someone hi")
    assert "w:url" in features("see http://x.y")


def test_round_trip_and_feature_version_guard(tmp_path: Path) -> None:
    tiny = TextClassifier("t1", ("hateful_conduct",), {"w:bad": 0}, np.ones(1, np.float32),
                          np.array([[3.0]], np.float32), np.array([-1.0], np.float32), {"hateful_conduct": 0.5})
    path = tmp_path / "tiny.npz"
    tiny.save(path)
    loaded = TextClassifier.load(path)
    assert loaded.predict_batch(["bad", "good"])[0]["hateful_conduct"] == pytest.approx(1 / (1 + np.exp(-2.0)), abs=1e-6)
    assert loaded.predict_batch(["good"])[0]["hateful_conduct"] == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-6)
    tiny.save(path, features_version=FEATURES_VERSION + 1)
    with pytest.raises(ValueError, match="retrain"):
        TextClassifier.load(path)
