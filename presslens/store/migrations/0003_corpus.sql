-- version 10: the corpus layer -- actors (one person or organisation across articles), the items that carry what
-- was said (quotes, reported speech, claims) with their claim family, and the user's corrections to actor links.
-- Vectors live in the same file: each item's int8 vector (sqlite-vec's int8 layout) in item_vectors, read by
-- primary key; each claim family's sign vector in the sqlite-vec table family_vectors, which presslens.corpus
-- creates (creating it needs the extension loaded) and searches by KNN.

CREATE TABLE actors (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,               -- canonical name: the most frequent full form
    type          TEXT,
    aliases       TEXT NOT NULL DEFAULT '[]',  -- JSON list of every name form linked to it
    roles         TEXT NOT NULL DEFAULT '[]',  -- JSON list of {text, published, article}
    article_count INTEGER NOT NULL DEFAULT 0,
    pin           TEXT                         -- set when a user correction made this actor
);

-- One row per stored entity cluster: which actor it is, how sure, and why.
CREATE TABLE actor_links (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id  TEXT NOT NULL,
    entity_key TEXT NOT NULL UNIQUE,           -- article_key:entity_id, stable across re-runs
    name       TEXT,
    confidence REAL NOT NULL,
    evidence   TEXT NOT NULL                   -- JSON {by, why}
);
CREATE INDEX idx_actor_links_actor ON actor_links(actor_id);
CREATE INDEX idx_actor_links_article ON actor_links(article_id, entity_id);

-- User corrections: entity clusters with the same pin are one actor, different pins never are.
CREATE TABLE actor_pins (
    entity_key TEXT PRIMARY KEY,
    pin        TEXT NOT NULL,
    action     TEXT NOT NULL,                  -- merge | split
    created_at TEXT NOT NULL
);

CREATE TABLE claim_families (
    id         INTEGER PRIMARY KEY,
    first_item INTEGER                          -- the earliest item carrying the claim
);

CREATE TABLE corpus_items (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,               -- direct | partial | reported | mixed | claim
    ref            TEXT NOT NULL,               -- the quote or claim id in the article's analysis
    text           TEXT NOT NULL,               -- what was said (the quote's content, the claim's sentence)
    start          INTEGER NOT NULL,            -- offsets of text in articles.text
    end            INTEGER NOT NULL,
    speaker_entity TEXT,                        -- entity id in the article; NULL with speaker_name NULL = author
    speaker_name   TEXT,
    family_id      INTEGER,
    published      TEXT,
    UNIQUE (article_id, kind, ref)
);
CREATE INDEX idx_corpus_items_article ON corpus_items(article_id);
CREATE INDEX idx_corpus_items_family ON corpus_items(family_id, published);

-- 384 int8 values (a unit vector x127) per item. A plain table, not vec0: ask reads a few thousand vectors by id,
-- and vec0 answers a lookup by rowid by reading the whole chunk (1,024 vectors) that holds it.
CREATE TABLE item_vectors (
    item_id   INTEGER PRIMARY KEY REFERENCES corpus_items(id) ON DELETE CASCADE,
    embedding BLOB NOT NULL
);

CREATE VIRTUAL TABLE item_fts USING fts5(text, content='corpus_items', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER corpus_items_fts_insert AFTER INSERT ON corpus_items BEGIN
    INSERT INTO item_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER corpus_items_fts_delete AFTER DELETE ON corpus_items BEGIN
    INSERT INTO item_fts(item_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- Articles whose items are indexed (a re-run skips them).
CREATE TABLE corpus_indexed (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    indexed_at TEXT NOT NULL
);

-- Proposition vectors already computed (ask's encoder pass is skipped for a question asked before).
CREATE TABLE proposition_vectors (
    proposition TEXT PRIMARY KEY,
    vector      BLOB NOT NULL
);
