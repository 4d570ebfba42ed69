-- A topic's history is written through (each batch commits with the head before anyone sees it), so an
-- activation after a crash continues the epoch from the head: nothing was delivered that is not stored.
-- The "clean" flag is gone; a new epoch starts only with a topic that has no row. Writers are kept single
-- by the head itself: an append moves it only from the value its activation read.
ALTER TABLE topics DROP COLUMN clean;
