"""One place for error codes: every failed document carries one of these.

A message always says where (file, line or byte) and what was expected, so
that a researcher can find and fix the input.
"""

from __future__ import annotations

from pipeline.records import Error


class Codes:
    NOT_FOUND = "not_found"
    IO_ERROR = "io_error"
    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    BAD_JSON = "bad_json"
    MISSING_TEXT = "missing_text"
    EXTRACT_FAILED = "extract_failed"
    WORKER_DIED = "worker_died"
    NOT_SERIALIZABLE = "not_serializable"
    NOT_A_RECORD = "not_a_record"  # a JSON line that is not a zhnews output line (zhnews kb load)
    # the knowledge base (pipeline.kb)
    KB_MISSING = "kb_missing"
    KB_NOT_A_KB = "kb_not_a_kb"
    KB_TOO_NEW = "kb_too_new"
    KB_OLD = "kb_old"
    KB_READ_ONLY = "kb_read_only"
    KB_FULL = "kb_full"
    KB_ERROR = "kb_error"


class InputError(Exception):
    """An input that cannot become a document; carries its error record."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def record(self) -> Error:
        return Error(code=self.code, message=self.message)


class KnowledgeBaseError(Exception):
    """A knowledge base file that cannot be used as asked; nothing was half-written."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def extract_failed(where: str, exc: BaseException) -> Error:
    return Error(code=Codes.EXTRACT_FAILED, message=f"{where}: {type(exc).__name__}: {exc}")
