-- 3: capture dates (EXIF, container tags) for date filters.
ALTER TABLE files ADD COLUMN taken REAL;
