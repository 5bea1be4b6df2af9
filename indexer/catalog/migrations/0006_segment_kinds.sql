-- 6: a segment says what it is (a photo, a video frame, an audio window; next, a line of
-- speech or a block of text in a picture), and a space which of those it embeds: spaces are
-- declared by what they embed, not by a name that doubles as a modality.
ALTER TABLE segments ADD COLUMN kind TEXT NOT NULL DEFAULT '';
UPDATE segments SET kind = CASE
    WHEN modality = 'audio' THEN 'audio_window'
    WHEN (SELECT f.kind FROM files f WHERE f.id = segments.file_id) = 'photo' THEN 'photo'
    ELSE 'frame'
END;
CREATE INDEX segments_by_kind ON segments(kind);
ALTER TABLE spaces ADD COLUMN embeds TEXT NOT NULL DEFAULT '[]';
UPDATE spaces SET embeds = CASE
    WHEN modalities LIKE '%"image"%' AND modalities LIKE '%"audio"%' THEN '["audio_window", "frame", "photo"]'
    WHEN modalities LIKE '%"image"%' THEN '["frame", "photo"]'
    WHEN modalities LIKE '%"audio"%' THEN '["audio_window"]'
    ELSE '[]'
END;
