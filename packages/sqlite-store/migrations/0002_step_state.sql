-- Version 2: a step's run state (status, result, attempts, …) may be written on its own.
-- `body` holds the whole step as last written in full (at creation, or when its spec changed);
-- `state`, when not NULL, holds the run-state fields written since and overrides body's copies.
-- A transition then rewrites a few hundred bytes, not the step's args and dependency list.
ALTER TABLE steps ADD COLUMN state TEXT;
