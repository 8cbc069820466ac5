"""Editors' decisions on facts (the review page writes them through here).

A review is a row in `reviews` that names its fact by id and by type and
span (so that it survives a reload of the document); the fact's status is
its latest review's decision. Reviews are never deleted or overwritten.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Optional

from pipeline.kb.db import now, transaction

DECISIONS = ("accept", "reject", "correct")


def add_review(conn: sqlite3.Connection, fact_id: str, *, reviewer: str, decision: str,
               field: Optional[str] = None, old_value: Any = None, new_value: Any = None,
               note: Optional[str] = None) -> int:
    """Record a decision on a fact and set its status; returns the review id."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    with transaction(conn):
        fact = conn.execute("SELECT doc_id, type, start, end FROM facts WHERE fact_id = ?", (fact_id,)).fetchone()
        if fact is None:
            raise KeyError(f"no fact {fact_id!r}")
        review = conn.execute(
            "INSERT INTO reviews (fact_id, doc_id, fact_type, start, end, field, reviewer, decision, old_value,"
            " new_value, note, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fact_id, *fact, field, reviewer, decision, _json(old_value), _json(new_value), note, now())).lastrowid
        conn.execute("UPDATE facts SET status = (SELECT status FROM review_status WHERE fact_id = ?)"
                     " WHERE fact_id = ?", (fact_id, fact_id))
    return review


def _json(value: Any) -> Optional[str]:
    return None if value is None else json.dumps(value, ensure_ascii=False)
