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
    TOO_LONG = "too_long"


class InputError(Exception):
    """An input that cannot become a document; carries its error record."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def record(self) -> Error:
        return Error(code=self.code, message=self.message)


def extract_failed(where: str, exc: BaseException) -> Error:
    return Error(code=Codes.EXTRACT_FAILED, message=f"{where}: {type(exc).__name__}: {exc}")


def too_long(where: str, length: int, limit: int) -> Error:
    return Error(code=Codes.TOO_LONG,
                 message=f"{where}: {length:,} characters, over the limit of {limit:,}; split it into "
                 f"articles or raise the limit with --max-chars N (max_chars=N in Python; 0: no limit)")
