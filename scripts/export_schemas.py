"""Write schemas/document.schema.json from the Pydantic records.

usage: python scripts/export_schemas.py [--check]

With --check, write nothing and exit 1 when the file differs from the
models (tests/test_schema.py runs the same comparison).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "schemas" / "document.schema.json"


def rendered() -> str:
    sys.path.insert(0, str(ROOT))
    from pipeline.schema import render_schema

    return render_schema()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only")
    args = parser.parse_args()
    text = rendered()
    if args.check:
        same = TARGET.exists() and TARGET.read_text(encoding="utf-8") == text
        print("schemas are up to date" if same else f"{TARGET} is stale: run scripts/export_schemas.py")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
