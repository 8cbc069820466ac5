"""Opening a knowledge base file: create it, check it is one, upgrade it.

A file is a zhnews knowledge base when its SQLite `application_id` is
APPLICATION_ID and it has a `schema_version` table. Anything else is refused
before a byte of it is written. Schema changes go through MIGRATIONS, one
transaction per step, so a failed upgrade leaves the file as it was.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator

from pipeline.errors import Codes, KnowledgeBaseError

APPLICATION_ID = 0x7A686E77  # "zhnw" in the SQLite header
SCHEMA_VERSION = 1

# version n -> the SQL that takes a version-n file to version n + 1. Empty
# while there is one version; a change to schema.sql adds a step here.
MIGRATIONS: dict[int, str] = {}


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def schema_sql() -> str:
    return resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")


def statements(sql: str) -> Iterator[str]:
    """The statements of an SQL script (triggers kept whole), comments dropped."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if buffer or not line.lstrip().startswith("--"):
            buffer += line
        if buffer.strip() and sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""


def connect(path: Path | str, *, write: bool) -> sqlite3.Connection:
    """A connection to the knowledge base at `path`, created when `write` and it
    does not exist, checked and upgraded to SCHEMA_VERSION. Raises
    KnowledgeBaseError with a clear message otherwise."""
    path = Path(path)
    if not write and not path.is_file():
        raise KnowledgeBaseError(Codes.KB_MISSING, f"{path}: no such knowledge base (make one with "
                                 f"`zhnews kb load OUT.jsonl --db {path}` or `zhnews extract ... --db {path}`)")
    if path.is_dir():
        raise KnowledgeBaseError(Codes.KB_NOT_A_KB, f"{path}: is a folder, not a knowledge base file")
    conn = _open(path, write)
    try:
        _prepare(conn, path, write)
    except BaseException:
        conn.close()
        raise
    return conn


def _open(path: Path, write: bool) -> sqlite3.Connection:
    if write:
        _check_writable(path)
    try:
        if write:
            return sqlite3.connect(path, isolation_level=None, timeout=30)
        return _open_read_only(path)
    except sqlite3.Error as err:
        raise translate(err, path) from err


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Read-only; a file in a read-only folder opens as immutable (WAL needs to
    write its -shm file beside the database otherwise)."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as err:
            raise KnowledgeBaseError(Codes.KB_READ_ONLY, f"{path}: cannot create its folder ({err.strerror})")
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(folder, os.W_OK):
        raise KnowledgeBaseError(Codes.KB_READ_ONLY,
                                 f"{path}: read-only (the file or its folder cannot be written); nothing was changed")


def _prepare(conn: sqlite3.Connection, path: Path, write: bool) -> None:
    try:
        version = stored_version(conn, path)
        if version is None and not write:
            raise KnowledgeBaseError(Codes.KB_NOT_A_KB, f"{path}: an empty file, not a knowledge base")
        if write:
            _create_or_upgrade(conn, path, version)
        elif version < SCHEMA_VERSION:
            raise KnowledgeBaseError(Codes.KB_OLD, f"{path}: schema version {version}, this zhnews reads "
                                     f"{SCHEMA_VERSION}: open it once for writing (zhnews kb load) to upgrade it")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as err:
        raise translate(err, path) from err


def stored_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """The file's schema version; None for an empty file. Refuses a file that is
    not a zhnews knowledge base or was made by a newer zhnews."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    if app == 0 and not tables:
        return None
    if app != APPLICATION_ID or "schema_version" not in tables:
        shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "") or "none"
        raise KnowledgeBaseError(Codes.KB_NOT_A_KB, f"{path}: not a zhnews knowledge base (SQLite application id "
                                 f"{app:#x}, tables: {shown}); it was left untouched: give a new file name")
    version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    if version is None or version > SCHEMA_VERSION:
        raise KnowledgeBaseError(Codes.KB_TOO_NEW, f"{path}: schema version {version}, newer than this zhnews "
                                 f"reads ({SCHEMA_VERSION}); upgrade zhnews to use it")
    return version


def _create_or_upgrade(conn: sqlite3.Connection, path: Path, version: int | None) -> None:
    if version is None:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before any table: lets freed pages go back
        with transaction(conn):
            if stored_version(conn, path) is None:  # not made meanwhile by another process
                _create(conn)
    for step in range(version or SCHEMA_VERSION, SCHEMA_VERSION):
        with transaction(conn):
            if stored_version(conn, path) == step:
                for sql in statements(MIGRATIONS[step]):
                    conn.execute(sql)
                _stamp(conn, step + 1)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _create(conn: sqlite3.Connection) -> None:
    for sql in statements(schema_sql()):
        conn.execute(sql)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _stamp(conn, SCHEMA_VERSION)


def _stamp(conn: sqlite3.Connection, version: int) -> None:
    from pipeline import __version__

    conn.execute("INSERT INTO schema_version (version, applied_at, zhnews) VALUES (?, ?, ?)",
                 (version, now(), __version__))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all or nothing.
    (SQLite rolls back by itself on some errors, such as a full disk.)"""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


_SQLITE_CODES = (("SQLITE_FULL", "is full", Codes.KB_FULL),
                 ("SQLITE_READONLY", "readonly", Codes.KB_READ_ONLY),
                 ("SQLITE_NOTADB", "not a database", Codes.KB_NOT_A_KB),
                 ("SQLITE_CANTOPEN", "unable to open", Codes.KB_READ_ONLY))


def translate(err: sqlite3.Error, path: Path | str) -> KnowledgeBaseError:
    """An sqlite3 error as a KnowledgeBaseError with a code and a clear message."""
    name = getattr(err, "sqlite_errorname", "")  # Python 3.11+
    for errorname, words, code in _SQLITE_CODES:
        if name == errorname or (not name and words in str(err)):
            return KnowledgeBaseError(code, f"{path}: {_EXPLAIN[code]} ({err})")
    return KnowledgeBaseError(Codes.KB_ERROR, f"{path}: {err}")


_EXPLAIN = {
    Codes.KB_FULL: "the disk (or the database's size limit) is full; the document being written was rolled back",
    Codes.KB_READ_ONLY: "cannot be opened for writing (read-only file or folder)",
    Codes.KB_NOT_A_KB: "not an SQLite database, so not a zhnews knowledge base; it was left untouched",
}
