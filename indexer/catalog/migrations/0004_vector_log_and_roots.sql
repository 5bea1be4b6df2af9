-- 4: vector changes follow commits through a log; checkpoints say how far they got;
-- roots remember their device, and hold deletions when they suddenly look empty.
CREATE TABLE vector_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    space_id INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL,
    vector BLOB
);
CREATE INDEX vector_log_by_space ON vector_log(space_id, seq);
CREATE TRIGGER segments_removed AFTER DELETE ON segments BEGIN
    INSERT INTO vector_log (space_id, segment_id, vector) VALUES (NULL, OLD.id, NULL);
END;
ALTER TABLE spaces ADD COLUMN checkpoint_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spaces ADD COLUMN needs_check INTEGER NOT NULL DEFAULT 1;
CREATE TABLE roots (
    path BLOB PRIMARY KEY,
    device INTEGER,
    held_reason TEXT,
    held_files INTEGER NOT NULL DEFAULT 0,
    unsupported TEXT
);
