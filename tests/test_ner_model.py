"""The shipped NER model (models/zhnews_ner): present, small, loadable, sane;
and the training and evaluation scripts' argument checks.

Model tests are skipped when the model folder is absent (a rules-only checkout).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import nlp as nlpmod

MODEL = nlpmod.MODELS_DIR / nlpmod.DEFAULT_MODEL
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
shipped = pytest.mark.skipif(not (MODEL / "meta.json").exists(), reason="no model in models/zhnews_ner")


@pytest.fixture(scope="module")
def nlp():
    if not (MODEL / "meta.json").exists():
        pytest.skip("no model in models/zhnews_ner")
    return nlpmod.load_nlp()


@shipped
def test_model_folder_is_under_60_mb():
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 60 * 1024 * 1024


@shipped
def test_model_card_and_meta():
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "zhnews_ner"
    assert set(meta["labels"]["ner"]) == {"PER", "LOC", "ORG"}
    card = (MODEL / "MODEL_CARD.md").read_text(encoding="utf-8")
    for needle in ("CLUENER", "People's Daily", "scripts/train_ner.py", "scripts/eval_ner.py"):
        assert needle in card


def test_uses_the_project_tokenizer(nlp):
    assert nlpmod.has_project_tokenizer(nlp)
    assert nlp.pipe_names == ["tok2vec", "ner"]


@pytest.mark.parametrize("text, name", [
    ("国务院总理温家宝今天在北京会见了来访的客人。", "温家宝"),
    ("据新华社报道，张建国在会上作了发言。", "张建国"),
], ids=["premier", "plain"])
def test_finds_obvious_names(nlp, text, name):
    from pipeline.segment import tokenize

    pers = [e.text for e in nlpmod.entities(nlp, text, tokenize(text)) if e.label == "PER"]
    assert name in pers


def test_deterministic(nlp):
    from pipeline.segment import tokenize

    text = "中央统战部副部长邹晓东在成都出席会议并讲话。"
    first = nlpmod.entities(nlp, text, tokenize(text))
    assert nlpmod.entities(nlp, text, tokenize(text)) == first


@pytest.mark.parametrize("script", ["train_ner.py", "eval_ner.py"])
def test_scripts_refuse_missing_data(script, tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPTS / script), "--data", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "not found" in run.stderr and "--data" in run.stderr
