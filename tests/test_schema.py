"""schemas/ is generated from pipeline/records.py and must not drift from it."""

import json
import subprocess
import sys
from pathlib import Path

from pipeline.records import SCHEMA_VERSION, Document
from pipeline.schema import document_schema

ROOT = Path(__file__).resolve().parent.parent


def test_schema_file_matches_the_models():
    on_disk = json.loads((ROOT / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(document_schema())), "run scripts/export_schemas.py"


def test_export_check_mode_agrees():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "export_schemas.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_contract_fields_are_in_the_schema():
    props = document_schema()["properties"]
    for name in ("schema_version", "doc_id", "source", "title", "published_at", "script", "text",
                 "normalized_text", "regions", "figures", "brands", "counts", "meetings",
                 "warnings", "error"):
        assert name in props
    assert SCHEMA_VERSION == "1"


def test_error_document_has_every_contract_field():
    doc = json.loads(Document(doc_id="x", error={"code": "empty", "message": "x.txt: empty"}).model_dump_json())
    assert doc["regions"] == [] and doc["error"]["code"] == "empty" and doc["schema_version"] == "1"
