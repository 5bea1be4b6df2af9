-- 9: each line is also a segment (kind 'line', modality 'text'), so that a words space embeds
-- lines under the same contract as pictures and sounds: vectors keyed by segment id, removals
-- logged by the segments trigger, repairs comparing the store with the catalog id by id.
-- Triggers keep the pair in step whoever writes a line (subtitles, speech, a copy).
ALTER TABLE lines ADD COLUMN segment_id INTEGER;
-- the lines an older catalog holds: one segment each, found again by a stand-in time
INSERT INTO segments (file_id, modality, start, "end", t, kind)
    SELECT file_id, 'text', start, "end", -id, 'line' FROM lines ORDER BY id;
CREATE INDEX line_segments_by_t ON segments(t) WHERE kind = 'line';
UPDATE lines SET segment_id = (SELECT s.id FROM segments s WHERE s.kind = 'line' AND s.t = -lines.id);
DROP INDEX line_segments_by_t;
UPDATE segments SET t = start WHERE kind = 'line';
CREATE UNIQUE INDEX lines_by_segment ON lines(segment_id);
CREATE TRIGGER lines_segment AFTER INSERT ON lines BEGIN
    INSERT INTO segments (file_id, modality, start, "end", t, kind)
        VALUES (new.file_id, 'text', new.start, new."end", new.start, 'line');
    UPDATE lines SET segment_id = last_insert_rowid() WHERE id = new.id;
END;
CREATE TRIGGER lines_segment_gone AFTER DELETE ON lines BEGIN
    DELETE FROM segments WHERE id = old.segment_id;
END;
