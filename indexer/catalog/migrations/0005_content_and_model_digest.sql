-- 5: a hash of the whole file confirms what the sampled fingerprint suggests (NULL: taken
-- before this version; such a file is not trusted as unchanged, moved or copied).
-- A space remembers what its model was (models.model_digest), so a folder updated in place
-- is seen to be another model.
ALTER TABLE files ADD COLUMN content TEXT;
ALTER TABLE spaces ADD COLUMN model_digest TEXT;
