-- Version 4: a step's run state gets a table of its own, and `steps.body` keeps only the spec.
-- Step specs can be large (args, a hundred ids in depends_on); run-state rows are small. When both
-- shared a row, every transition rewrote the pages holding a dozen specs around it, so the WAL took
-- about 4 KiB per transition. A step without a `step_state` row is pending and has never run.
-- The rows are split by a data step in JavaScript (src/migrations-data.ts), which also drops the
-- emptied `state` and `status` columns: SQLite's JSON functions refuse values nested more than
-- 1,000 levels deep, which JSON.parse reads and the store always accepted.
CREATE TABLE step_state (
  seq INTEGER PRIMARY KEY NOT NULL, -- the step's row in `steps`
  status TEXT NOT NULL,
  state TEXT NOT NULL -- JSON: resolved_args, result, error, attempts, started_at, finished_at, in_doubt
);

-- Reading a workflow's steps uses the unique (workflow_id, step_id) index and sorts by seq; this
-- second index cost a b-tree insert per step created.
DROP INDEX steps_by_workflow;
