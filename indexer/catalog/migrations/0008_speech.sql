-- 8: recognised speech. `words` holds a line's word times as JSON, [[offset, start, end], ...]
-- (offset: where the word begins in `text`), so a match jumps to its word; NULL where the
-- source gives none (subtitles). `speech` is how far each file's recognition has come, with
-- which model: a long recording commits piece by piece and resumes after a kill, and a new
-- model transcribes again. `speech_s` and `heard_s`: seconds of voice found in the seconds
-- read, what voice detection spared the recogniser.
ALTER TABLE lines ADD COLUMN words TEXT;
CREATE TABLE speech (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    done_s REAL NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    heard_s REAL NOT NULL DEFAULT 0,
    speech_s REAL NOT NULL DEFAULT 0
);
