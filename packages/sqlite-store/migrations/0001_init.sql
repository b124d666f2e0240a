-- Tandem SQLite schema, version 1. Applied inside one transaction; PRAGMA user_version records it.
-- JSON values are stored as text produced by JSON.stringify, which escapes lone surrogates, so any
-- JavaScript string round-trips.

-- One row per workflow. Step counts per status are kept up to date by the triggers on `steps`,
-- so listing never scans steps.
CREATE TABLE workflows (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT, -- JSON-encoded string, or NULL
  status TEXT NOT NULL,
  variables TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  schedule_id TEXT,
  scheduled_for TEXT,
  generation TEXT,
  n_pending INTEGER NOT NULL DEFAULT 0,
  n_running INTEGER NOT NULL DEFAULT 0,
  n_awaiting_human INTEGER NOT NULL DEFAULT 0,
  n_succeeded INTEGER NOT NULL DEFAULT 0,
  n_failed INTEGER NOT NULL DEFAULT 0,
  n_skipped INTEGER NOT NULL DEFAULT 0,
  n_cancelled INTEGER NOT NULL DEFAULT 0
);
-- Keyset listing, newest first: (created_at, id) descending, optionally within a status or schedule.
CREATE INDEX workflows_by_created ON workflows (created_at, id);
CREATE INDEX workflows_by_status ON workflows (status, created_at, id);
CREATE INDEX workflows_by_schedule ON workflows (schedule_id, created_at, id) WHERE schedule_id IS NOT NULL;

-- One row per step; `seq` keeps the step order (a replaced step keeps its row and position).
CREATE TABLE steps (
  seq INTEGER PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL, -- the StepRecord as JSON
  UNIQUE (workflow_id, step_id)
);
CREATE INDEX steps_by_workflow ON steps (workflow_id, seq);

CREATE TRIGGER steps_count_insert AFTER INSERT ON steps BEGIN
  UPDATE workflows SET
    n_pending = n_pending + (NEW.status = 'pending'),
    n_running = n_running + (NEW.status = 'running'),
    n_awaiting_human = n_awaiting_human + (NEW.status = 'awaiting_human'),
    n_succeeded = n_succeeded + (NEW.status = 'succeeded'),
    n_failed = n_failed + (NEW.status = 'failed'),
    n_skipped = n_skipped + (NEW.status = 'skipped'),
    n_cancelled = n_cancelled + (NEW.status = 'cancelled')
  WHERE id = NEW.workflow_id;
END;

CREATE TRIGGER steps_count_update AFTER UPDATE OF status ON steps WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE workflows SET
    n_pending = n_pending + (NEW.status = 'pending') - (OLD.status = 'pending'),
    n_running = n_running + (NEW.status = 'running') - (OLD.status = 'running'),
    n_awaiting_human = n_awaiting_human + (NEW.status = 'awaiting_human') - (OLD.status = 'awaiting_human'),
    n_succeeded = n_succeeded + (NEW.status = 'succeeded') - (OLD.status = 'succeeded'),
    n_failed = n_failed + (NEW.status = 'failed') - (OLD.status = 'failed'),
    n_skipped = n_skipped + (NEW.status = 'skipped') - (OLD.status = 'skipped'),
    n_cancelled = n_cancelled + (NEW.status = 'cancelled') - (OLD.status = 'cancelled')
  WHERE id = NEW.workflow_id;
END;

CREATE TRIGGER steps_count_delete AFTER DELETE ON steps BEGIN
  UPDATE workflows SET
    n_pending = n_pending - (OLD.status = 'pending'),
    n_running = n_running - (OLD.status = 'running'),
    n_awaiting_human = n_awaiting_human - (OLD.status = 'awaiting_human'),
    n_succeeded = n_succeeded - (OLD.status = 'succeeded'),
    n_failed = n_failed - (OLD.status = 'failed'),
    n_skipped = n_skipped - (OLD.status = 'skipped'),
    n_cancelled = n_cancelled - (OLD.status = 'cancelled')
  WHERE id = OLD.workflow_id;
END;

-- The event log of each workflow, appended in seq order.
CREATE TABLE events (
  workflow_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  step_id TEXT,
  at TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (workflow_id, seq)
) WITHOUT ROWID;

-- Human interventions, in the order they were applied.
CREATE TABLE interventions (
  id INTEGER PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX interventions_by_workflow ON interventions (workflow_id, id);

CREATE TABLE schedules (
  id TEXT PRIMARY KEY NOT NULL,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL
);

-- One row per slot of a schedule: the primary key is what makes a slot fire at most once.
CREATE TABLE firings (
  schedule_id TEXT NOT NULL,
  scheduled_for TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (schedule_id, scheduled_for)
) WITHOUT ROWID;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  updated_at TEXT NOT NULL,
  body TEXT NOT NULL
);

-- Which engine executes workflows from this file (one at a time), with a heartbeat.
CREATE TABLE executor_lease (
  name TEXT PRIMARY KEY NOT NULL,
  owner_id TEXT NOT NULL,
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
