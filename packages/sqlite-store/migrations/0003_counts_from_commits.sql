-- Version 3: step counts per status are written with each commit instead of by triggers. The
-- engine sends the counts it keeps anyway (WorkflowCommit.stepCounts); a commit without them has
-- the store count the workflow's steps. One row update per step transition fewer.
DROP TRIGGER steps_count_insert;
DROP TRIGGER steps_count_update;
DROP TRIGGER steps_count_delete;
