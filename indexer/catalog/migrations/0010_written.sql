-- 10: text in pictures, read by OCR: lines with source 'written', each with its block's box on
-- the picture as JSON [left, top, right, bottom] (shares of the width and height). A photo's
-- lines have no time (0 to 0); a video's span the frames that showed them. `reading` says
-- which files were read, and with which reader: another reader reads the library again.
-- `pictures` and `read`: pictures looked at and those the gate passed to the recogniser.
ALTER TABLE lines ADD COLUMN box TEXT;
CREATE TABLE reading (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    reader TEXT NOT NULL,
    pictures INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0
);
