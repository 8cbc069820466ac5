"""Every record the pipeline emits: the output contract (spec/CONTRACT.md v1).

These Pydantic models are the source of truth; `schemas/` is generated from
them by scripts/export_schemas.py and a test keeps the two in step.
"""

from __future__ import annotations

import re
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = "1"

Level = Literal["province", "prefecture", "county", "township", "area", "foreign"]
BrandKind = Literal["brand", "program", "platform", "base", "team", "activity", "other"]
Qualifier = Literal["exact", "nearly", "about", "more_than", "at_least", "at_most", "less_than"]
Script = Literal["simplified", "traditional", "mixed"]

CODE = re.compile(r"^\d{6}$")
PUBLISHED = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mention(Record):
    """Where a record was read: offsets into the ORIGINAL decoded text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    sentence: int = Field(ge=0)


class Extracted(Record):
    """Fields every extracted fact carries."""

    mentions: list[Mention] = Field(min_length=1)
    method: str = Field(min_length=1, description="the rule or model that produced it")
    confidence: float = Field(ge=0.0, le=1.0)


class Region(Extracted):
    name: str = Field(description="official full name, simplified (汕尾 -> 汕尾市)")
    code: Optional[str] = Field(description="6-digit GB/T 2260 code, null for areas and foreign")
    level: Level
    path: list[str] = Field(description="names from the province down to this region")

    @field_validator("code")
    @classmethod
    def _six_digits(cls, code: Optional[str]) -> Optional[str]:
        if code is not None and not CODE.match(code):
            raise ValueError(f"region code must be 6 digits, got {code!r}")
        return code


class Figure(Extracted):
    name: str
    titles: list[str] = Field(default_factory=list, description="one string per position")
    roles: list[str] = Field(default_factory=list, description="what they did: 出席并讲话, 主持 ...")


class Brand(Extracted):
    name: str = Field(description="without its quote marks; inner quote marks stay")
    kind: BrandKind
    region: Optional[str] = Field(default=None, description="code of the region it belongs to")
    full_name: Optional[str] = Field(
        default=None, description="the longer name when the quoted core is part of one"
    )


class BrandCandidate(Record):
    """A brand candidate and what decided it (zhnews extract --explain)."""

    text: str
    full_text: Optional[str] = None
    label: str = Field(description="brand kinds, or slogan | quotation | document | meeting | other")
    probability: float = Field(ge=0.0, le=1.0)
    accepted: bool
    mention: Mention
    cue: str = Field(
        default="",
        description="what decided it, rule: words read (type: 打造“…”品牌; formula: “两个确立”; "
        "list: with “…”; model: verb:打造 +1.2)",
    )


class Count(Extracted):
    value: Union[int, float] = Field(description="multipliers applied: 3800万元 -> 38000000")
    unit: Optional[str]
    qualifier: Qualifier
    text: str = Field(description="the surface string, qualifier included")
    subject: Optional[str] = Field(default=None, description="what is counted")
    region: Optional[str] = Field(default=None, description="code of the region it counts for")
    upper: Optional[Union[int, float]] = Field(default=None, description="upper bound of a range (100-200人)")


class Location(Record):
    name: str
    code: Optional[str]


class Attendee(Record):
    name: str
    role: Optional[str] = None


class Meeting(Extracted):
    name: str
    kind: Optional[str] = Field(default=None, description="the head noun: 推进会, 座谈会 ...")
    date: Optional[str] = Field(default=None, description="ISO 8601 prefix, or --MM-DD")
    date_end: Optional[str] = None
    date_text: Optional[str] = None
    location: Optional[Location] = None
    venue: Optional[str] = None
    organizer: Optional[str] = None
    attendees: list[Attendee] = Field(default_factory=list)
    participants: Optional[int] = None


class Notice(Record):
    """Something the reader should know about the input (mojibake, replaced bytes)."""

    code: str
    message: str
    start: Optional[int] = None
    end: Optional[int] = None


class Error(Record):
    code: str
    message: str


class DateSource(Record):
    """Where `published_at` was read and how sure the reader is."""

    method: str = Field(description="given (the input named it), meta:<name>, jsonld:<key>, script:<var>, "
                                    "time, label, date_line, date_line_end, source_line, url or htmldate")
    confidence: float = Field(ge=0.0, le=1.0)
    text: str = Field(description="what the date was read from, as written")


class Document(Record):
    """One line of output: everything read from one input document."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_id: str
    source: Optional[str] = None
    title: Optional[str] = None
    published_at: Optional[str] = None
    script: Optional[Script] = None
    origin: Optional[str] = Field(default=None, description="the outlet named by 来源/供稿/转载自")
    editor: Optional[str] = None
    keywords: list[str] = Field(default_factory=list)
    author: Optional[str] = Field(default=None, description="HTML input: the byline under the title (作者, 记者)")
    url: Optional[str] = Field(
        default=None, description="HTML input: the page's canonical URL (or og:url, or the address it was saved from)"
    )
    published_at_source: Optional[DateSource] = None
    text_extractor: Optional[Literal["trafilatura", "htmltext"]] = Field(
        default=None,
        description="HTML input: what produced `text` from the page: trafilatura, or the project's fallback "
                    "reducer htmltext (used only where trafilatura finds nothing); null for text input",
    )
    primary_region: Optional[Location] = Field(
        default=None, description="the region the document is about (全省, 本市 resolve to it)"
    )
    text: str = ""
    normalized_text: str = ""
    regions: list[Region] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    brands: list[Brand] = Field(default_factory=list)
    counts: list[Count] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    warnings: list[Notice] = Field(default_factory=list)
    error: Optional[Error] = None
    brand_candidates: Optional[list[BrandCandidate]] = Field(
        default=None, description="only with --explain: every brand candidate, kept or rejected"
    )

    @field_validator("published_at")
    @classmethod
    def _iso(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not PUBLISHED.match(value):
            raise ValueError(f"published_at must be ISO 8601 (2024-02-05[T08:42:24]), got {value!r}")
        return value

    @property
    def ok(self) -> bool:
        return self.error is None


RECORD_TYPES = ("regions", "figures", "brands", "counts", "meetings")
