"""The JSON API the page uses, and tools can (its OpenAPI schema is at
/api/openapi.json). Every endpoint is a thin layer over a plain function of
pipeline.kb; every failure comes in the one error shape (errors.ErrorBody).

    GET  /api/documents               documents with their review progress (filters as the overview's)
    GET  /api/documents/{doc_id}      one document: original text, facts as reviewed, their history
    POST /api/reviews                 a decision: accept, reject, correct or add
    POST /api/extract                 {"text": ...} -> the Document record (nothing is stored)
    GET  /api/session                 a session token for a tool (POSTs need it, or the access token)
"""

from __future__ import annotations

import os
from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

import pipeline.kb
from pipeline.errors import Codes, KnowledgeBaseError
from pipeline.kb import KnowledgeBase
from pipeline.kb.overview import STATUS_FILTERS, DocumentFilter, DocumentList, list_documents
from pipeline.kb.reviews import (REVIEWER_MAX, NOTE_MAX, Decision, FactState, RecordType, add_fact, decide,
                                 fact_state)
from pipeline.kb.when import PLAIN_DATE
from pipeline.records import PUBLISHED, Document
from pipeline.review.errors import ERROR_RESPONSES
from pipeline.review.views import DocumentDetail, document_detail

MAX_TEXT = 200_000  # characters an extraction request may send

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def reading(request: Request) -> KnowledgeBase:
    """The knowledge base for one request that only reads; use it in a `with`
    inside the endpoint (a connection stays in the thread that opened it). The
    server writes the file too, so it is read through an ordinary connection
    (a read-only one may fall back to reading the file as immutable, without
    what the WAL holds); only a file the server cannot write is opened read-only."""
    db = request.app.state.settings.db
    return pipeline.kb.open(db, write=db.is_file() and os.access(db, os.W_OK) and os.access(db.parent, os.W_OK))


def writing(request: Request) -> KnowledgeBase:
    db = request.app.state.settings.db
    if not db.is_file():  # never make a new, empty one
        raise KnowledgeBaseError(Codes.KB_MISSING, f"{db}: the knowledge base is gone")
    return pipeline.kb.open(db, write=True)


class Filters(BaseModel):
    """The overview's filters (query parameters)."""

    q: Optional[str] = Field(None, max_length=200, description="full text: every term must appear")
    type: Optional[RecordType] = Field(None, description="documents with facts of this type")
    status: Optional[Literal[tuple(STATUS_FILTERS)]] = Field(None, description="pending: facts left to review; "
                                                             "reviewed: none left; accepted ...: with such facts")
    region: Optional[str] = Field(None, max_length=100, description="a region code or name, everything in it too")
    since: Optional[str] = Field(None, pattern=f"^{PLAIN_DATE}$", description="published on or after")
    until: Optional[str] = Field(None, pattern=f"^{PLAIN_DATE}$", description="published on or before")

    def filter(self) -> DocumentFilter:
        return DocumentFilter(**self.model_dump())


@router.get("/documents", response_model=DocumentList, summary="Documents and how far their review got")
def get_documents(request: Request, filters: Filters = Depends(), limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0)) -> DocumentList:
    with reading(request) as kb:
        return list_documents(kb.conn, filters.filter(), limit=limit, offset=offset)


@router.get("/documents/{doc_id:path}", response_model=DocumentDetail,
            summary="A document: its original text and its facts as reviewed, lowest confidence first")
def get_document(doc_id: str, request: Request) -> DocumentDetail:
    with reading(request) as kb:
        return document_detail(kb.conn, doc_id)


class ReviewRequest(BaseModel):
    """One decision. accept / reject / correct name a fact; correct gives the new
    values ({"date": "2024-05-17"}); add names the document, type and span of
    the missing fact and its fields (the name defaults to the selected text)."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(min_length=1, max_length=REVIEWER_MAX)
    decision: Decision
    fact_id: Optional[str] = Field(None, max_length=1000)
    changes: dict[str, Any] = Field(default_factory=dict, description="correct: field -> new value; add: the "
                                    "new fact's fields")
    doc_id: Optional[str] = Field(None, max_length=1000)
    type: Optional[RecordType] = None
    start: Optional[int] = Field(None, ge=0)
    end: Optional[int] = Field(None, ge=0)
    note: Optional[str] = Field(None, max_length=NOTE_MAX)

    @model_validator(mode="after")
    def _complete(self) -> "ReviewRequest":
        if self.decision == "add":
            missing = [k for k in ("doc_id", "type", "start", "end") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"add needs doc_id, type, start and end (missing: {', '.join(missing)})")
        elif self.fact_id is None:
            raise ValueError(f"{self.decision} needs the fact_id")
        return self


class ReviewResult(BaseModel):
    review_ids: list[int]
    fact: FactState


@router.post("/reviews", response_model=ReviewResult, summary="Record a decision on a fact")
def post_review(body: ReviewRequest, request: Request) -> ReviewResult:
    with writing(request) as kb:
        if body.decision == "add":
            fid = add_fact(kb.conn, body.doc_id, body.type, body.start, body.end, body.changes,
                           reviewer=body.reviewer, note=body.note)
            state = fact_state(kb.conn, fid)
            return ReviewResult(review_ids=[state.history[-1].review_id], fact=state)
        ids = decide(kb.conn, body.fact_id, reviewer=body.reviewer, decision=body.decision, changes=body.changes,
                     note=body.note)
        return ReviewResult(review_ids=ids, fact=fact_state(kb.conn, body.fact_id))


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the article's text")
    title: Optional[str] = Field(None, max_length=1000)
    published_at: Optional[str] = Field(None, pattern=PUBLISHED.pattern,
                                        description="resolves relative dates (近日, 去年11月)")
    source: Optional[str] = Field(None, max_length=1000, description="kept in the record as given")


@router.post("/extract", response_model=Document, summary="Extract the records of one article (nothing is stored)")
def post_extract(body: ExtractRequest, request: Request) -> Document:
    return pipeline.extract(body.text, title=body.title, published_at=body.published_at, source=body.source,
                            ner=request.app.state.settings.ner)


class Session(BaseModel):
    csrf_token: str = Field(description="send it as the X-CSRF-Token header, with the session cookie")


@router.get("/session", response_model=Session, summary="A session token for a tool's POSTs")
def get_session(request: Request) -> Session:
    return Session(csrf_token=request.scope["state"]["csrf"])
