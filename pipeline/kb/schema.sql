-- The zhnews knowledge base, schema version 1.
--
-- Read it top to bottom: documents, the facts read from them (one table per
-- record type, their mentions), the canonical entities facts resolve to
-- (regions, people, brands, events) with the reason for every link, and the
-- editors' reviews. Offsets index the ORIGINAL text (documents.text), as in
-- the output contract (spec/CONTRACT.md).

CREATE TABLE schema_version (
    version     INTEGER NOT NULL,        -- the schema this file is at
    applied_at  TEXT NOT NULL,           -- when it was created or upgraded to it
    zhnews      TEXT NOT NULL            -- the zhnews version that did it
);

-- One row per input document, failed ones included (error_code set, no facts).
CREATE TABLE documents (
    doc_id            TEXT PRIMARY KEY,  -- sha1 of the input bytes, or the id of a JSONL input
    source            TEXT,              -- path or id as given
    title             TEXT,
    published_at      TEXT,              -- 2024-02-05 or 2024-02-05T08:42:24
    script            TEXT,              -- simplified | traditional | mixed
    origin            TEXT,              -- the outlet named by 来源/供稿/转载自
    editor            TEXT,
    keywords          TEXT,              -- JSON array of strings
    primary_region    TEXT REFERENCES regions(region_id),  -- the region 全省/本市 refer to
    text              TEXT NOT NULL,     -- the original decoded text: offsets index it
    normalized_text   TEXT NOT NULL,     -- simplified, cleaned: what `kb search` searches
    error_code        TEXT,              -- null when the document was read without error
    error_message     TEXT,
    contract_version  TEXT NOT NULL,     -- the output contract's schema_version ("1")
    pipeline_version  TEXT,              -- zhnews version that extracted it (null: unknown)
    model_versions    TEXT,              -- JSON object {"ner": ..., "brand_classifier": ...} (null: unknown)
    loaded_from       TEXT NOT NULL,     -- "extract" or the JSON Lines file given to `kb load`
    loaded_at         TEXT NOT NULL      -- UTC, ISO 8601
);
CREATE INDEX documents_published ON documents(published_at);

-- Warnings the pipeline gave about a document (mojibake, replaced bytes).
CREATE TABLE warnings (
    doc_id    TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,          -- 0-based order within the document
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    start     INTEGER,
    end       INTEGER,
    PRIMARY KEY (doc_id, position)
);

-- Every extracted record, whatever its type. fact_id is stable: the same
-- record at the same place gets the same id when its document is loaded
-- again, so reviews stay attached to it.
CREATE TABLE facts (
    fact_id     TEXT PRIMARY KEY,        -- "<type>:<doc_id>:<start>-<end>"
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    type        TEXT NOT NULL CHECK (type IN ('regions', 'figures', 'brands', 'counts', 'meetings')),
    position    INTEGER NOT NULL,        -- 0-based order among the document's records of this type
    start       INTEGER NOT NULL,        -- the first mention's span in documents.text
    end         INTEGER NOT NULL,
    method      TEXT NOT NULL,           -- the rule or model that produced it
    confidence  REAL NOT NULL,
    status      TEXT NOT NULL DEFAULT 'unreviewed'
                CHECK (status IN ('unreviewed', 'accepted', 'rejected', 'corrected'))
);
CREATE INDEX facts_doc ON facts(doc_id, type, start, end);
CREATE INDEX facts_type ON facts(type);

-- Where each fact was read (a figure or region named three times has three).
CREATE TABLE mentions (
    fact_id   TEXT NOT NULL REFERENCES facts(fact_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL,             -- documents.text[start:end]
    sentence  INTEGER NOT NULL,          -- 0-based sentence index
    PRIMARY KEY (fact_id, position)
);

-- One table per record type, with the record's own fields.
CREATE TABLE region_facts (
    fact_id  TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    name     TEXT NOT NULL,              -- official full name
    code     TEXT,                       -- GB/T 2260; null for areas, foreign and townships
    level    TEXT NOT NULL,              -- province | prefecture | county | township | area | foreign
    path     TEXT NOT NULL               -- JSON array: names from the province down
);

CREATE TABLE figure_facts (
    fact_id  TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    titles   TEXT NOT NULL,              -- JSON array, one string per position, as written
    roles    TEXT NOT NULL               -- JSON array: 出席并讲话, 主持 ...
);
CREATE INDEX figure_facts_name ON figure_facts(name);

CREATE TABLE brand_facts (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    name       TEXT NOT NULL,            -- without its quote marks
    kind       TEXT NOT NULL,            -- brand | program | platform | base | team | activity | other
    region     TEXT REFERENCES regions(region_id),
    full_name  TEXT
);

CREATE TABLE count_facts (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    value      NUMERIC NOT NULL,         -- multipliers applied: 3800万元 -> 38000000
    upper      NUMERIC,                  -- upper bound of a range (100-200人)
    unit       TEXT,
    qualifier  TEXT NOT NULL,            -- exact | nearly | about | more_than | at_least | at_most | less_than
    text       TEXT NOT NULL,            -- the surface string, qualifier included
    subject    TEXT,                     -- what is counted
    region     TEXT REFERENCES regions(region_id)
);

CREATE TABLE meeting_facts (
    fact_id        TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    kind           TEXT,                 -- the head noun: 推进会, 座谈会 ...
    date           TEXT,                 -- ISO prefix at the text's precision, or --MM-DD
    date_end       TEXT,
    date_text      TEXT,                 -- as written: 近日, 5月17日
    location_name  TEXT,
    location       TEXT REFERENCES regions(region_id),
    venue          TEXT,
    organizer      TEXT,
    participants   INTEGER
);

CREATE TABLE meeting_attendees (
    fact_id   TEXT NOT NULL REFERENCES meeting_facts(fact_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    role      TEXT,                      -- 出席并讲话, 主持 ...
    PRIMARY KEY (fact_id, position)
);
CREATE INDEX meeting_attendees_name ON meeting_attendees(name);

-- Canonical entities. A region is one row per division code (plus townships,
-- named areas and foreign countries, which have no code); the others are
-- clusters of facts from several documents.
CREATE TABLE regions (
    region_id  TEXT PRIMARY KEY,         -- the code; "<county code>:<name>" for a township,
                                         -- "area:<name>", "foreign:<name>"
    code       TEXT,                     -- GB/T 2260, null when there is none
    name       TEXT NOT NULL,
    level      TEXT NOT NULL,
    parent     TEXT REFERENCES regions(region_id)  -- the division it lies in
);
CREATE INDEX regions_parent ON regions(parent);

CREATE TABLE people (
    person_id  INTEGER PRIMARY KEY,
    name       TEXT NOT NULL
);
CREATE INDEX people_name ON people(name);

CREATE TABLE brands (
    brand_id  INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    key       TEXT NOT NULL,             -- the name without spaces and quote marks, one middle dot
    region    TEXT REFERENCES regions(region_id)
);
CREATE INDEX brands_key ON brands(key);

-- A meeting as one event, reported by one or more documents. name, date and
-- location are taken from its most precisely dated report.
CREATE TABLE events (
    event_id  INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    kind      TEXT,
    date      TEXT,
    location  TEXT REFERENCES regions(region_id),
    reports   INTEGER NOT NULL           -- how many meeting facts are linked to it
);

-- The links from facts to entities, each with the reason it was made (and,
-- for a new entity, why the fact joined none of the existing ones).
CREATE TABLE region_links (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    region_id  TEXT NOT NULL REFERENCES regions(region_id),
    reason     TEXT NOT NULL
);
CREATE INDEX region_links_region ON region_links(region_id);

CREATE TABLE person_links (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(person_id),
    reason     TEXT NOT NULL
);
CREATE INDEX person_links_person ON person_links(person_id);

CREATE TABLE brand_links (
    fact_id   TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    brand_id  INTEGER NOT NULL REFERENCES brands(brand_id),
    reason    TEXT NOT NULL
);
CREATE INDEX brand_links_brand ON brand_links(brand_id);

CREATE TABLE event_links (
    fact_id   TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,
    event_id  INTEGER NOT NULL REFERENCES events(event_id),
    reason    TEXT NOT NULL
);
CREATE INDEX event_links_event ON event_links(event_id);

-- The editors' decisions (written by the review page). A review is never
-- deleted: when its document is loaded again it stays attached to the fact
-- of the same type and span, or keeps fact_id null when that fact is gone.
CREATE TABLE reviews (
    review_id    INTEGER PRIMARY KEY,
    fact_id      TEXT REFERENCES facts(fact_id) DEFERRABLE INITIALLY DEFERRED,
    doc_id       TEXT NOT NULL REFERENCES documents(doc_id) DEFERRABLE INITIALLY DEFERRED,
    fact_type    TEXT NOT NULL,          -- with start and end: the fact it was made on
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    field        TEXT,                   -- the field corrected (date, location ...), null: the whole fact
    reviewer     TEXT NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'correct')),
    old_value    TEXT,                   -- JSON
    new_value    TEXT,                   -- JSON
    note         TEXT,
    reviewed_at  TEXT NOT NULL           -- UTC, ISO 8601
);
CREATE INDEX reviews_fact ON reviews(fact_id);
CREATE INDEX reviews_doc ON reviews(doc_id, fact_type, start, end);

-- A reviewed fact's status: the decision of its latest review.
CREATE VIEW review_status AS
SELECT r.fact_id,
       CASE r.decision WHEN 'accept' THEN 'accepted' WHEN 'reject' THEN 'rejected' ELSE 'corrected' END AS status,
       r.reviewer, r.reviewed_at
FROM reviews r
WHERE r.fact_id IS NOT NULL
  AND r.review_id = (SELECT r2.review_id FROM reviews r2 WHERE r2.fact_id = r.fact_id
                     ORDER BY r2.reviewed_at DESC, r2.review_id DESC LIMIT 1);

-- Full text over the normalized text (and title), trigram tokens: any query
-- of three characters or more uses the index; kb search falls back to a scan
-- for one- and two-character queries (统战), which trigrams cannot match.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, normalized_text, content='documents', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, normalized_text)
    VALUES (new.rowid, new.title, new.normalized_text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, normalized_text)
    VALUES ('delete', old.rowid, old.title, old.normalized_text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, normalized_text)
    VALUES ('delete', old.rowid, old.title, old.normalized_text);
    INSERT INTO documents_fts(rowid, title, normalized_text)
    VALUES (new.rowid, new.title, new.normalized_text);
END;
