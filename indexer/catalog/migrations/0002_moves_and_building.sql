-- 2: find moved and copied files by content; build a new space beside the one in use.
CREATE INDEX files_by_fingerprint ON files(fingerprint);
ALTER TABLE spaces ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
    CHECK (state IN ('building', 'active'));
