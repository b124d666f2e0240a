-- Version 4: a step's run state gets a table of its own, and `steps.body` keeps only the spec.
-- Step specs can be large (args, a hundred ids in depends_on); run-state rows are small. When both
-- shared a row, every transition rewrote the pages holding a dozen specs around it, so the WAL took
-- about 4 KiB per transition. A step without a `step_state` row is pending and has never run.
CREATE TABLE step_state (
  seq INTEGER PRIMARY KEY NOT NULL, -- the step's row in `steps`
  status TEXT NOT NULL,
  state TEXT NOT NULL -- JSON: resolved_args, result, error, attempts, started_at, finished_at, in_doubt
);

-- Until now `state` (when set) held the run state, otherwise `body` held it.
INSERT INTO step_state (seq, status, state)
SELECT seq, status, json_object(
    'resolved_args', json(coalesce(state, body) -> '$.resolved_args'),
    'result', json(coalesce(state, body) -> '$.result'),
    'error', json(coalesce(state, body) -> '$.error'),
    'attempts', json(coalesce(state, body) -> '$.attempts'),
    'started_at', json(coalesce(state, body) -> '$.started_at'),
    'finished_at', json(coalesce(state, body) -> '$.finished_at'),
    'in_doubt', json(coalesce(state, body) -> '$.in_doubt'))
FROM steps;

UPDATE steps SET body = json_remove(body, '$.status', '$.resolved_args', '$.result', '$.error', '$.attempts',
  '$.started_at', '$.finished_at', '$.in_doubt');

-- Reading a workflow's steps uses the unique (workflow_id, step_id) index and sorts by seq; this
-- second index cost a b-tree insert per step created.
DROP INDEX steps_by_workflow;
ALTER TABLE steps DROP COLUMN state;
ALTER TABLE steps DROP COLUMN status;
