-- The zhnews knowledge base, schema version 1.
--
-- Read it top to bottom: documents, the facts read from them (one table per
-- record type, their mentions), the canonical entities facts resolve to
-- (regions, people, brands, events) with the reason for every link, and the
-- editors' reviews. Offsets index the ORIGINAL text (documents.text), as in
-- the output contract (spec/CONTRACT.md). The comment before each table and
-- after each column is its description in Datasette (metadata.json is
-- generated from this file: zhnews kb metadata).

-- The schema version the file is at, one row per creation or upgrade.
CREATE TABLE schema_version (
    version     INTEGER NOT NULL,        -- the schema version
    applied_at  TEXT NOT NULL,           -- when the file was created or upgraded to it (UTC)
    zhnews      TEXT NOT NULL            -- the zhnews version that did it
);

-- One row per input document, failed ones included (error_code set, no facts).
CREATE TABLE documents (
    doc_id            TEXT PRIMARY KEY,  -- sha1 of the input bytes, or the id of a JSONL input
    source            TEXT,              -- path or id as given
    title             TEXT,              -- simplified title
    published_at      TEXT,              -- 2024-02-05 or 2024-02-05T08:42:24
    script            TEXT,              -- simplified | traditional | mixed
    origin            TEXT,              -- the outlet named by 来源/供稿/转载自
    editor            TEXT,              -- the editor the page names
    keywords          TEXT,              -- JSON array of strings
    primary_region    TEXT REFERENCES regions(region_id),  -- the region 全省/本市 refer to
    text              TEXT NOT NULL,     -- the original decoded text: every offset indexes it
    normalized_text   TEXT NOT NULL,     -- simplified, cleaned: what `kb search` searches
    error_code        TEXT,              -- null when the document was read without error
    error_message     TEXT,              -- what went wrong, and where
    contract_version  TEXT NOT NULL,     -- the output contract's schema_version ("1")
    pipeline_version  TEXT,              -- zhnews version that extracted it (null: unknown)
    model_versions    TEXT,              -- JSON object {"ner": ..., "brand_classifier": ...} (null: unknown)
    extra             TEXT,              -- JSON object: the record's other fields (author, url ...), so none is lost
    loaded_from       TEXT NOT NULL,     -- "extract" or the JSON Lines file given to `kb load`
    loaded_at         TEXT NOT NULL      -- when it was (last) loaded, UTC
);
CREATE INDEX documents_published ON documents(published_at);

-- Warnings the pipeline gave about a document (mojibake, replaced bytes).
CREATE TABLE warnings (
    doc_id    TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,  -- the document
    position  INTEGER NOT NULL,          -- 0-based order within the document
    code      TEXT NOT NULL,             -- mojibake, decode_replaced ...
    message   TEXT NOT NULL,             -- what the reader should know
    start     INTEGER,                   -- span in documents.text, when there is one
    end       INTEGER,                   -- end of that span
    PRIMARY KEY (doc_id, position)
);

-- Every extracted record, whatever its type. fact_id is stable: the same
-- record at the same place gets the same id when its document is loaded
-- again, so reviews stay attached to it.
CREATE TABLE facts (
    fact_id     TEXT PRIMARY KEY,        -- "<type>:<doc_id>:<start>-<end>"
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,  -- the document it was read in
    type        TEXT NOT NULL CHECK (type IN ('regions', 'figures', 'brands', 'counts', 'meetings')),  -- record type
    position    INTEGER NOT NULL,        -- 0-based order among the document's records of this type
    start       INTEGER NOT NULL,        -- the first mention's span in documents.text
    end         INTEGER NOT NULL,        -- end of the first mention
    method      TEXT NOT NULL,           -- the rule or model that produced it
    confidence  REAL NOT NULL,           -- 0 to 1
    status      TEXT NOT NULL DEFAULT 'unreviewed'
                CHECK (status IN ('unreviewed', 'accepted', 'rejected', 'corrected'))  -- the latest review's decision
);
CREATE INDEX facts_doc ON facts(doc_id, type, start, end);
CREATE INDEX facts_type ON facts(type);

-- Where each fact was read (a figure or region named three times has three).
CREATE TABLE mentions (
    fact_id   TEXT NOT NULL REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the fact
    position  INTEGER NOT NULL,          -- 0-based order of the mention
    start     INTEGER NOT NULL,          -- offset in documents.text
    end       INTEGER NOT NULL,          -- end offset (exclusive)
    text      TEXT NOT NULL,             -- documents.text[start:end]
    sentence  INTEGER NOT NULL,          -- 0-based sentence index
    PRIMARY KEY (fact_id, position)
);

-- Region facts: a place the document names (one per distinct region).
CREATE TABLE region_facts (
    fact_id  TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the fact
    name     TEXT NOT NULL,              -- official full name (汕尾 -> 汕尾市)
    code     TEXT,                       -- GB/T 2260; null for areas, foreign countries and townships
    level    TEXT NOT NULL,              -- province | prefecture | county | township | area | foreign
    path     TEXT NOT NULL               -- JSON array: names from the province down
);

-- Figure facts: a named person and the titles the document gives them.
CREATE TABLE figure_facts (
    fact_id  TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the fact
    name     TEXT NOT NULL,              -- the person's name, simplified
    titles   TEXT NOT NULL,              -- JSON array, one string per position, as written
    roles    TEXT NOT NULL               -- JSON array: what they did (出席并讲话, 主持 ...)
);
CREATE INDEX figure_facts_name ON figure_facts(name);

-- Brand facts: a named programme, project, platform, base, team or campaign.
CREATE TABLE brand_facts (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the fact
    name       TEXT NOT NULL,            -- without its quote marks
    kind       TEXT NOT NULL,            -- brand | program | platform | base | team | activity | other
    region     TEXT REFERENCES regions(region_id),  -- the region it belongs to, when the text says
    full_name  TEXT                      -- the longer name when the quoted core is part of one
);

-- Count facts: how many or how much of something (one per mention).
CREATE TABLE count_facts (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the fact
    value      NUMERIC NOT NULL,         -- multipliers applied: 3800万元 -> 38000000
    upper      NUMERIC,                  -- upper bound of a range (100-200人)
    unit       TEXT,                     -- measure word: 人, 个, 元, % ...
    qualifier  TEXT NOT NULL,            -- exact | nearly | about | more_than | at_least | at_most | less_than
    text       TEXT NOT NULL,            -- the surface string, qualifier included
    subject    TEXT,                     -- what is counted
    region     TEXT REFERENCES regions(region_id)  -- the region it counts for
);

-- Meeting facts: one document's report of a meeting (the event it resolves
-- to is in event_links).
CREATE TABLE meeting_facts (
    fact_id        TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the fact
    name           TEXT NOT NULL,        -- the full name as written
    kind           TEXT,                 -- the head noun: 推进会, 座谈会 ...
    date           TEXT,                 -- ISO prefix at the text's precision, or --MM-DD without a year
    date_end       TEXT,                 -- last day of a meeting of several days
    date_text      TEXT,                 -- as written: 近日, 5月17日
    location_name  TEXT,                 -- where it was held, as a region name
    location       TEXT REFERENCES regions(region_id),  -- that region's id
    venue          TEXT,                 -- the building or hall
    organizer      TEXT,                 -- the body that convened it, as written
    participants   INTEGER               -- number of attendees, when stated
);

-- The people a meeting report names as attending, with their role.
CREATE TABLE meeting_attendees (
    fact_id   TEXT NOT NULL REFERENCES meeting_facts(fact_id) ON DELETE CASCADE,  -- the meeting fact
    position  INTEGER NOT NULL,          -- 0-based order
    name      TEXT NOT NULL,             -- the person's name
    role      TEXT,                      -- 出席并讲话, 主持 ...
    PRIMARY KEY (fact_id, position)
);
CREATE INDEX meeting_attendees_name ON meeting_attendees(name);

-- Regions: one row per division code (with the divisions above it), plus
-- townships, named areas and foreign countries, which have no code.
CREATE TABLE regions (
    region_id  TEXT PRIMARY KEY,         -- the code; "<county code>:<name>" for a township, "area:<name>", "foreign:<name>"
    code       TEXT,                     -- GB/T 2260, null when there is none
    name       TEXT NOT NULL,            -- official name
    level      TEXT NOT NULL,            -- province | prefecture | county | township | area | foreign
    parent     TEXT REFERENCES regions(region_id)  -- the region it lies in
);
CREATE INDEX regions_parent ON regions(parent);

-- People: figure facts of several documents resolved to one person.
CREATE TABLE people (
    person_id  INTEGER PRIMARY KEY,      -- the person
    name       TEXT NOT NULL             -- their name
);
CREATE INDEX people_name ON people(name);

-- Brands: brand facts of several documents resolved to one brand.
CREATE TABLE brands (
    brand_id  INTEGER PRIMARY KEY,       -- the brand
    name      TEXT NOT NULL,             -- its name as first loaded
    key       TEXT NOT NULL,             -- the name without spaces and quote marks, one middle dot
    region    TEXT REFERENCES regions(region_id)  -- the region of its first fact that gives one
);
CREATE INDEX brands_key ON brands(key);

-- Events: a meeting reported by one or more documents. name, date and
-- location are taken from its most precisely dated report.
CREATE TABLE events (
    event_id  INTEGER PRIMARY KEY,       -- the event
    name      TEXT NOT NULL,             -- the name its best-dated report gives
    kind      TEXT,                      -- 推进会, 座谈会 ...
    date      TEXT,                      -- the most precise date a report gives
    location  TEXT REFERENCES regions(region_id),  -- where that report says it was held
    reports   INTEGER NOT NULL           -- how many meeting facts are linked to it
);

-- Region facts to regions, by code, with the reason.
CREATE TABLE region_links (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the region fact
    region_id  TEXT NOT NULL REFERENCES regions(region_id),  -- the region
    reason     TEXT NOT NULL             -- code 441500, township 岔路镇 of 宁海县 ...
);
CREATE INDEX region_links_region ON region_links(region_id);

-- Figure facts to people, with the reason: the evidence it agreed on, or,
-- for a new person, why it joined none of the people of that name.
CREATE TABLE person_links (
    fact_id    TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the figure fact
    person_id  INTEGER NOT NULL REFERENCES people(person_id),  -- the person
    reason     TEXT NOT NULL             -- shared title 编辑 (document ...), new: not #3: ...
);
CREATE INDEX person_links_person ON person_links(person_id);

-- Brand facts to brands, with the reason.
CREATE TABLE brand_links (
    fact_id   TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the brand fact
    brand_id  INTEGER NOT NULL REFERENCES brands(brand_id),  -- the brand
    reason    TEXT NOT NULL              -- same name, 广东省 / 汕尾市 ...
);
CREATE INDEX brand_links_brand ON brand_links(brand_id);

-- Meeting facts to events, with the reason.
CREATE TABLE event_links (
    fact_id   TEXT PRIMARY KEY REFERENCES facts(fact_id) ON DELETE CASCADE,  -- the meeting fact
    event_id  INTEGER NOT NULL REFERENCES events(event_id),  -- the event
    reason    TEXT NOT NULL              -- similar names ..., same day 2024-02-03, held in ...
);
CREATE INDEX event_links_event ON event_links(event_id);

-- The editors' decisions (written by the review page). A review is never
-- deleted: when its document is loaded again it stays attached to the fact
-- of the same type and span, or keeps fact_id null when that fact is gone.
CREATE TABLE reviews (
    review_id    INTEGER PRIMARY KEY,    -- the review
    fact_id      TEXT REFERENCES facts(fact_id) DEFERRABLE INITIALLY DEFERRED,  -- the fact; null once it is gone
    doc_id       TEXT NOT NULL REFERENCES documents(doc_id) DEFERRABLE INITIALLY DEFERRED,  -- its document
    fact_type    TEXT NOT NULL,          -- the fact's type
    start        INTEGER NOT NULL,       -- the fact's span: what a reload matches it by
    end          INTEGER NOT NULL,       -- end of that span
    field        TEXT,                   -- the field corrected (date, location ...); null: the whole fact
    reviewer     TEXT NOT NULL,          -- who
    decision     TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'correct')),  -- accept | reject | correct
    old_value    TEXT,                   -- JSON: the value before
    new_value    TEXT,                   -- JSON: the value the reviewer gave
    note         TEXT,                   -- the reviewer's note
    reviewed_at  TEXT NOT NULL           -- when, UTC
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

-- Full text over the normalized text and title, in trigrams: a query of three
-- characters or more uses the index; `kb search` scans for one- and
-- two-character terms (统战), which trigrams cannot match.
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
