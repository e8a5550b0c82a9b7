-- version 2: indexes for the web app's filters and the per-article layer look-ups.
CREATE INDEX idx_articles_published ON articles(published);
CREATE INDEX idx_articles_source ON articles(source);
CREATE INDEX idx_analyses_article ON analyses(article_id);
CREATE INDEX idx_entities_article ON entities(article_id);
CREATE INDEX idx_entities_name ON entities(name);
CREATE INDEX idx_quotes_article ON quotes(article_id);
CREATE INDEX idx_quotes_speaker ON quotes(speaker_name);
CREATE INDEX idx_claims_article ON claims(article_id);
CREATE INDEX idx_techniques_article ON techniques(article_id);
CREATE INDEX idx_techniques_technique ON techniques(technique);
CREATE INDEX idx_time_article ON time(article_id);
CREATE INDEX idx_genre_article ON genre(article_id);
CREATE INDEX idx_failures_code ON failures(code);
