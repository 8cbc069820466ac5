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
    # editors' decisions (pipeline.kb.reviews) and the review page (pipeline.review)
    FACT_NOT_FOUND = "fact_not_found"
    DOC_NOT_FOUND = "document_not_found"
    FACT_EXISTS = "fact_exists"
    INVALID_REVIEW = "invalid_review"
    INVALID_REQUEST = "invalid_request"      # 422: a request that does not fit the API's schema
    FORBIDDEN = "forbidden"                  # 403: no or wrong access token, or a foreign Host
    CSRF = "csrf"                            # 403: a state-changing request without the page's session token
    TOO_LARGE = "too_large"                  # 413: a request body over the limit
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVER_ERROR = "server_error"            # 500
    TOO_LONG = "too_long"


class CodedError(Exception):
    """An error with one of the Codes and a message that says where and what was expected."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def record(self) -> Error:
        return Error(code=self.code, message=self.message)


class InputError(CodedError):
    """An input that cannot become a document; carries its error record."""


class KnowledgeBaseError(CodedError):
    """A knowledge base file that cannot be used as asked; nothing was half-written."""


class ReviewError(CodedError, ValueError):
    """A decision the knowledge base refuses (unknown fact, a field that cannot
    be corrected, a value of the wrong kind); nothing was written."""


def extract_failed(where: str, exc: BaseException) -> Error:
    return Error(code=Codes.EXTRACT_FAILED, message=f"{where}: {type(exc).__name__}: {exc}")


def too_long(where: str, length: int, limit: int) -> Error:
    return Error(code=Codes.TOO_LONG,
                 message=f"{where}: {length:,} characters, over the limit of {limit:,}; split it into "
                 f"articles or raise the limit with --max-chars N (max_chars=N in Python; 0: no limit)")
