"""JSON Schema of the output, generated from pipeline/records.py."""

from __future__ import annotations

import json

from pipeline.records import SCHEMA_VERSION, Document


def document_schema() -> dict:
    schema = Document.model_json_schema(mode="serialization")
    schema["$id"] = f"https://zhnews.invalid/schemas/document.v{SCHEMA_VERSION}.json"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render_schema() -> str:
    """The schema as schemas/document.schema.json stores it (and `zhnews schema` prints it)."""
    return json.dumps(document_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
