-- presslens corpus store, version 1: articles, their analyses, one table per layer, failures, full-text index.
-- Offsets (start, end) are Python str indices into articles.text, end exclusive, as in the analysis JSON.

CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    article_key TEXT NOT NULL UNIQUE,      -- sha256 of the text (plus the source id when given)
    source_id   TEXT,                      -- the id the input gave (jsonl "id", file stem), if any
    title       TEXT,
    url         TEXT,
    published   TEXT,                      -- YYYY-MM-DD
    language    TEXT,
    source      TEXT,                      -- where it was read from (file, file:line)
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE analyses (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    schema_version    TEXT NOT NULL,        -- e.g. presslens.analysis/1
    presslens_version TEXT NOT NULL,
    pipeline          TEXT NOT NULL,        -- JSON: meta.pipeline (analyzer names, versions, models)
    analysis_json     TEXT NOT NULL,        -- JSON: the full Document.to_dict()
    created_at        TEXT NOT NULL,
    UNIQUE (article_id, schema_version)
);

CREATE TABLE entities (
    id            INTEGER PRIMARY KEY,
    analysis_id   INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id     TEXT NOT NULL,
    name          TEXT,
    type          TEXT,
    roles         TEXT NOT NULL DEFAULT '[]',   -- JSON list of role texts
    aliases       TEXT NOT NULL DEFAULT '[]',   -- JSON list of alias strings
    mention_count INTEGER NOT NULL DEFAULT 0,
    confidence    REAL
);

CREATE TABLE quotes (
    id             INTEGER PRIMARY KEY,
    analysis_id    INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    quote_id       TEXT NOT NULL,
    kind           TEXT,
    speaker_entity TEXT,
    speaker_name   TEXT,
    content        TEXT,
    start          INTEGER,
    end            INTEGER,
    confidence     REAL
);

CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    analysis_id     INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    claim_id        TEXT NOT NULL,
    text            TEXT,
    checkworthiness REAL,
    claimant_name   TEXT,
    claimant_kind   TEXT,
    start           INTEGER,
    end             INTEGER,
    confidence      REAL
);

CREATE TABLE techniques (
    id          INTEGER PRIMARY KEY,
    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    technique   TEXT NOT NULL,
    start       INTEGER,
    end         INTEGER,
    text        TEXT,
    confidence  REAL
);

CREATE TABLE time (
    id          INTEGER PRIMARY KEY,
    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    time_id     TEXT NOT NULL,
    value       TEXT,
    type        TEXT,
    text        TEXT,
    start       INTEGER,
    end         INTEGER,
    confidence  REAL
);

CREATE TABLE genre (
    id          INTEGER PRIMARY KEY,
    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    score       REAL
);

-- One row per (input, error code); a re-run that fails the same way updates the row instead of adding one.
CREATE TABLE failures (
    id          INTEGER PRIMARY KEY,
    article_key TEXT NOT NULL,             -- article key when the text was read, else the input's location
    source      TEXT,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (article_key, code)
);

-- Full-text search over title + text; an external-content index kept in step by triggers.
CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='articles', content_rowid='id');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_fts(rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_fts(article_fts, rowid, title, text) VALUES ('delete', old.id, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
    INSERT INTO article_fts(article_fts, rowid, title, text) VALUES ('delete', old.id, coalesce(old.title, ''), old.text);
    INSERT INTO article_fts(rowid, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
END;
