-- 7: what is said in a file, a line at a time (subtitles now; recognised speech next), with a
-- full-text index. `tokens` is the text as the index reads it: Chinese, Japanese and Korean
-- characters spaced one by one, because unicode61 would take a whole CJK run for one word;
-- a query is spaced the same way and searched as a phrase. remove_diacritics 2 lets "cafe"
-- find "café".
-- `words_read` is 1 once a file's words were looked for (its subtitles now); the files of an
-- older catalog start at 0, and a later index reads them without decoding anything else.
ALTER TABLE files ADD COLUMN words_read INTEGER NOT NULL DEFAULT 0;
-- every index and update asks which are left: an index, not a scan of the library
CREATE INDEX files_words_unread ON files(kind) WHERE words_read = 0;
CREATE TABLE lines (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    start REAL NOT NULL,
    "end" REAL NOT NULL,
    text TEXT NOT NULL,
    lang TEXT,
    source TEXT NOT NULL,
    tokens TEXT NOT NULL
);
CREATE INDEX lines_by_file ON lines(file_id, start);
CREATE VIRTUAL TABLE lines_fts USING fts5(
    tokens, content='lines', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER lines_indexed AFTER INSERT ON lines BEGIN
    INSERT INTO lines_fts(rowid, tokens) VALUES (new.id, new.tokens);
END;
CREATE TRIGGER lines_unindexed AFTER DELETE ON lines BEGIN
    INSERT INTO lines_fts(lines_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
END;
