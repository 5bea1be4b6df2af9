-- 11: the frame interval (seconds) a video's frames were sampled at, so that a new interval
-- re-samples the videos indexed at another one (in the background, as a new model does).
-- NULL: sampled before this was recorded, at the default of then (2 s).
ALTER TABLE files ADD COLUMN sampled_s REAL;
