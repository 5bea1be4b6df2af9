CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    kind TEXT,
    status TEXT NOT NULL CHECK (status IN ('indexed', 'failed', 'pending')),
    error TEXT,
    duration REAL,
    indexed_at REAL
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    modality TEXT NOT NULL,
    start REAL,
    "end" REAL,
    t REAL
);
CREATE INDEX segments_by_file ON segments(file_id);
CREATE TABLE spaces (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    identity TEXT NOT NULL UNIQUE,
    model TEXT NOT NULL,
    revision TEXT,
    dim INTEGER NOT NULL,
    modalities TEXT NOT NULL,
    created_at REAL NOT NULL
);
