-- Version 5: the event log is stored as one row per commit, like Temporal's history batches.
-- A fan-out finishing 100 steps in one commit appended 200 rows, each repeating the workflow id
-- in its key; it now appends one. `body` is a JSON array of [seq, type, step_id, at, data]
-- tuples in seq order; `last_seq` is the seq of its last event, so "events after n" starts at
-- the first batch whose last_seq is above n.
CREATE TABLE event_batches (
  workflow_id TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (workflow_id, last_seq)
) WITHOUT ROWID;

-- Built as text, not with json_array(json(data)): SQLite's JSON functions refuse values nested more
-- than 1,000 levels deep, and `data` is already JSON text written by JSON.stringify.
INSERT INTO event_batches (workflow_id, last_seq, body)
SELECT workflow_id, seq, '[[' || seq || ',' || json_quote(type) || ',' || coalesce(json_quote(step_id), 'null') || ','
  || json_quote(at) || ',' || data || ']]'
FROM events;

DROP TABLE events;
