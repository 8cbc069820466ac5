"""Turn files, folders, JSON Lines and stdin into decoded raw documents.

Bytes are decoded with detection (BOM, UTF-8, UTF-16, GB18030, Big5; an HTML
page's declared charset is followed when its bytes agree, GB2312/GBK read as
their superset GB18030 and Big5 as Big5-HKSCS); HTML is reduced to its
article text and metadata (pipeline.webpage). Anything that cannot become
text yields a RawDocument with an error, never an exception and never
silent mojibake.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from pipeline.data import data_lines
from pipeline.errors import Codes, InputError
from pipeline.htmltext import looks_like_html
from pipeline.records import Error, Notice

if TYPE_CHECKING:
    from pipeline.webpage import Page

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"\x1f\x8b")
# A replacement character in under this share of the text is reported, not fatal.
_MAX_REPLACED = 0.005
# Below this share of common characters a decoding is taken for noise.
_MIN_SCORE = 0.5
# <meta charset="gbk">, <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_-]+)", re.I)
# A declared charset and the codecs that read it: each the superset pages really use.
_CHARSET_CODECS = {
    "gb2312": ("gb18030",), "gbk": ("gb18030",), "gb18030": ("gb18030",), "x-gbk": ("gb18030",),
    "gb_2312-80": ("gb18030",), "cp936": ("gb18030",), "euc-cn": ("gb18030",),
    "big5": ("big5hkscs", "cp950"), "big5-hkscs": ("big5hkscs",), "cp950": ("cp950", "big5hkscs"),
    "x-x-big5": ("big5hkscs", "cp950"),
}


@dataclass
class RawDocument:
    """One input document before analysis."""

    doc_id: str
    source: Optional[str]
    text: str = ""
    fields: dict = field(default_factory=dict)  # title, published_at ... given by a JSONL line
    warnings: list[Notice] = field(default_factory=list)
    error: Optional[Error] = None
    encoding: Optional[str] = None
    page: Optional["Page"] = None  # HTML input: what pipeline.webpage read from the page


@dataclass
class Skipped:
    """Files a folder walk passed over, reported in the run summary."""

    paths: list[str] = field(default_factory=list)


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def clean_text(text: str) -> tuple[str, list[Notice]]:
    """Replace lone surrogates (left by broken JSON escapes such as \\ud800),
    which no UTF-8 output can hold, and say so."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text, []
    fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    bad = sum(1 for a, b in zip(text, fixed) if a != b)
    return fixed, [Notice(code="decode_replaced",
                          message=f"{bad} lone surrogate(s) replaced by U+FFFD")]


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    return frozenset("".join(line.strip() for _, line in data_lines("common_chars.txt")))


def _score(text: str) -> float:
    """Share of CJK characters that are common ones: high for the right codec."""
    common = _common_chars()
    cjk = [ch for ch in text if ch >= "\u2e80"]
    if not cjk:
        return 1.0
    return sum(ch in common for ch in cjk) / len(cjk)


# UTF-8 bytes of Chinese read as Latin-1 or Windows-1252 (ä¸­æ–‡ for 中文): a lead
# byte E2-EF (â-ï: CJK, full-width and general punctuation) and two continuation
# bytes (0x80-0xBF, as those codecs show them). A document is taken for such
# mojibake when it holds a run of two characters or more; then single ones count too.
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_LATIN_MOJIBAKE = re.compile(f"(?:[\u00e2-\u00ef][{_CONTINUATION}]{{2}})+")
_LATIN_MOJIBAKE_RUN = re.compile(f"(?:[\u00e2-\u00ef][{_CONTINUATION}]{{2}}){{2,}}")


def repair_mojibake(text: str) -> tuple[str, list[Notice]]:
    """Chinese that was once read as Latin-1 or Windows-1252 (ä¸­æ–‡) read
    back as UTF-8 and reported; runs that do not read back are reported."""
    if not _LATIN_MOJIBAKE_RUN.search(text):
        return text, []
    fixed = left = 0

    def back(m: re.Match) -> str:
        nonlocal fixed, left
        again = _utf8_again(m.group(0))
        fixed, left = fixed + (again is not None), left + (again is None)
        return again or m.group(0)

    text = _LATIN_MOJIBAKE.sub(back, text)
    notices = []
    if fixed:
        notices.append(Notice(code="mojibake_repaired", message=f"{fixed} run(s) of UTF-8 read as Latin-1 (ä¸­æ–‡) read back"))
    if left:
        notices.append(Notice(code="mojibake", message=f"{left} run(s) of UTF-8 read as Latin-1 could not be read back"))
    return text, notices


def _utf8_again(run: str) -> Optional[str]:
    for codec in ("cp1252", "latin-1"):
        try:
            return run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return None


def _strict_candidates(data: bytes) -> list[tuple[str, str]]:
    codecs = ["gb18030", "big5"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    out = []
    for codec in codecs:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _controls(text) <= max(2, 0.01 * len(text)):
            out.append((codec, text))
    return out


def _controls(text: str) -> int:
    return sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f\v")


def _check_text(text: str, where: str, encoding: str) -> str:
    controls = _controls(text)
    if controls > max(2, 0.01 * len(text)):
        raise InputError(
            Codes.BINARY,
            f"{where}: decoded as {encoding} but holds {controls} control characters: not a text file",
        )
    return text


def declared_charset(data: bytes) -> Optional[str]:
    """The charset an HTML page declares in its first bytes, lower-cased."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _decode_declared(data: bytes, charset: Optional[str]) -> Optional[tuple[str, str]]:
    """The text in the declared charset when the bytes are valid in it and read as Chinese."""
    for codec in _CHARSET_CODECS.get(charset or "", ()):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _score(text) >= _MIN_SCORE and _controls(text) <= max(2, 0.01 * len(text)):
            return text, codec
    return None


def decode(data: bytes, where: str = "<input>", *, declared: Optional[str] = None) -> tuple[str, str, list[Notice]]:
    """Decode bytes: returns (text, encoding, warnings) or raises InputError.
    `declared`: the charset the document names (HTML meta), followed when the
    bytes agree; valid UTF-8 stays UTF-8 whatever is declared (a saved page
    keeps its old meta tag)."""
    if not data.strip():
        raise InputError(Codes.EMPTY, f"{where}: the file is empty; expected article text")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decode_as(data, codec, where), codec, []
    if any(data.startswith(m) for m in _MAGIC):
        raise InputError(Codes.BINARY, f"{where}: binary data (file signature {data[:4]!r}), not text")
    if b"\x00" not in data:
        try:
            return _check_text(data.decode("utf-8"), where, "utf-8"), "utf-8", []
        except UnicodeDecodeError:
            pass
    if found := _decode_declared(data, declared):
        return found[0], found[1], []
    scored = [(_score(text), codec, text) for codec, text in _strict_candidates(data)]
    if scored:
        score, codec, text = max(scored, key=lambda c: c[0])
        if score >= _MIN_SCORE:
            return text, codec, []
    if b"\x00" in data:
        raise InputError(Codes.BINARY, f"{where}: holds NUL bytes (first at byte {data.index(0)}): not a text file")
    return _decode_lossy(data, where)


def _decode_as(data: bytes, codec: str, where: str) -> str:
    try:
        return _check_text(data.decode(codec), where, codec)
    except UnicodeDecodeError as err:
        raise InputError(
            Codes.UNDECODABLE, f"{where}: not valid {codec} at byte {err.start}: {err.reason}"
        ) from err


def _decode_lossy(data: bytes, where: str) -> tuple[str, str, list[Notice]]:
    """A few bad bytes in otherwise good text: decode, replace, and say so."""
    best = None
    for codec in ("utf-8", "gb18030", "big5"):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[2]:
            best = (codec, text, bad)
    codec, text, bad = best
    if bad > _MAX_REPLACED * len(text):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(
                Codes.UNDECODABLE,
                f"{where}: not UTF-8 (bad byte at {err.start}), nor GB18030, Big5 or UTF-16: "
                f"{bad} undecodable characters as {codec}",
            ) from err
    warning = Notice(
        code="decode_replaced",
        message=f"{bad} undecodable byte sequence(s) replaced by U+FFFD (read as {codec})",
    )
    return _check_text(text, where, codec), codec, [warning]


def read_bytes(data: bytes, source: Optional[str], *, html: Optional[bool] = None) -> RawDocument:
    """A raw document from the bytes of one article (text or HTML)."""
    where = source or "<stdin>"
    doc = RawDocument(doc_id=sha1(data), source=source)
    try:
        text, doc.encoding, doc.warnings = decode(data, where, declared=declared_charset(data) if html else None)
    except InputError as err:
        doc.error = err.record()
        return doc
    text, notices = repair_mojibake(text)
    doc.warnings.extend(notices)
    if html is None and looks_like_html(text):
        return read_bytes(data, source, html=True)
    if html:
        return _read_page(doc, text, where)
    doc.text = text
    return doc


def _read_page(doc: RawDocument, html: str, where: str) -> RawDocument:
    """The article text of an HTML page, with what the page says about it."""
    from pipeline.webpage import read_page

    doc.page = read_page(html)
    doc.text = doc.page.text
    doc.warnings.extend(doc.page.notices)
    if not doc.text.strip():
        doc.error = Error(code=Codes.EMPTY, message=f"{where}: the HTML page holds no article text")
    return doc


def _failed(path: Path, code: str, message: str) -> RawDocument:
    """The error document of a file that could not be read at all."""
    return RawDocument(sha1(str(path).encode()), str(path), error=Error(code=code, message=message))


def read_file(path: Path) -> RawDocument:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _failed(path, Codes.NOT_FOUND, f"{path}: no such file")
    except OSError as err:
        return _failed(path, Codes.IO_ERROR, f"{path}: cannot read: {err.strerror or err}")
    html = True if path.suffix.lower() in (".html", ".htm") else None
    return read_bytes(data, str(path), html=html)


def read_jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[RawDocument]:
    """One raw document per JSON Lines line: {"id", "text", ...}."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        yield _jsonl_document(line, f"{source}:{number}")


def _jsonl_document(line: bytes, where: str) -> RawDocument:
    doc = RawDocument(doc_id=sha1(line), source=where)
    try:
        obj = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        doc.error = Error(code=Codes.UNDECODABLE, message=f"{where}: not UTF-8 at byte {err.start}")
        return doc
    except json.JSONDecodeError as err:
        doc.error = Error(
            code=Codes.BAD_JSON,
            message=f"{where}, column {err.colno}: not valid JSON ({err.msg}); expected one object per line",
        )
        return doc
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        doc.error = Error(
            code=Codes.MISSING_TEXT,
            message=f'{where}: expected an object with a string "text" field',
        )
        return doc
    if obj.get("id") is not None:
        doc.doc_id, _ = clean_text(str(obj["id"]))
        doc.source = doc.doc_id
    doc.text, doc.warnings = clean_text(obj["text"])
    doc.fields = {k: clean_text(str(v))[0] for k, v in obj.items() if k in ("title", "published_at") and v}
    if not doc.text.strip():
        doc.error = Error(code=Codes.EMPTY, message=f"{where}: empty text")
    return doc


def walk(folder: Path, skipped: Skipped, exclude: frozenset = frozenset()) -> Iterator[Path]:
    """Article and JSON Lines files below a folder, in a stable order (the
    files in `exclude`, such as the run's own output, left out)."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.resolve() in exclude:
            continue
        if path.suffix.lower() in ARTICLE_SUFFIXES + JSONL_SUFFIXES:
            yield path
        elif not path.name.startswith("."):
            skipped.paths.append(str(path))


def read_inputs(
    inputs: Iterable[str], *, stdin=None, skipped: Optional[Skipped] = None, exclude: Iterable[Path] = ()
) -> Iterator[RawDocument]:
    """Every document of every input: files, folders, JSON Lines, or '-' for stdin."""
    skipped = skipped if skipped is not None else Skipped()
    excluded = frozenset(Path(p).resolve() for p in exclude)
    for item in inputs:
        if item == "-":
            yield from _read_stdin(stdin)
            continue
        path = Path(item)
        paths = walk(path, skipped, excluded) if path.is_dir() else [path]
        for p in paths:
            if p.suffix.lower() in JSONL_SUFFIXES:
                yield from _read_jsonl_file(p)
            else:
                yield read_file(p)


def _read_jsonl_file(path: Path) -> Iterator[RawDocument]:
    try:
        with open(path, "rb") as f:
            yield from read_jsonl_lines(f, str(path))
    except OSError as err:
        yield _failed(path, Codes.IO_ERROR, f"{path}: cannot read: {err.strerror or err}")


def _read_stdin(stdin) -> Iterator[RawDocument]:
    import sys

    data = (stdin or sys.stdin.buffer).read()
    lines = data.splitlines()
    if lines and all(ln.lstrip().startswith(b"{") for ln in lines if ln.strip()):
        yield from read_jsonl_lines(lines, "<stdin>")
    else:
        yield read_bytes(data, None)
