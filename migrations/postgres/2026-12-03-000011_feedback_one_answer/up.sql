-- One counted answer per appeal (issue #18, finding 6): a new link after an answer was
-- allowed, so staff could mint links and answer them themselves again and again. An
-- appeal answered more than once before this rule keeps its earliest answer; the later
-- ones stay in their rows (score and comment) but no longer count: their link reads as
-- replaced at the moment it was answered.
UPDATE feedback_links SET revoked_at = submitted_at, submitted_at = NULL
WHERE submitted_at IS NOT NULL AND EXISTS (
    SELECT 1 FROM feedback_links earlier
    WHERE earlier.appeal_id = feedback_links.appeal_id
      AND earlier.submitted_at IS NOT NULL
      AND (earlier.submitted_at < feedback_links.submitted_at
           OR (earlier.submitted_at = feedback_links.submitted_at AND earlier.id < feedback_links.id))
);
CREATE UNIQUE INDEX feedback_links_one_answer_idx ON feedback_links (appeal_id)
    WHERE submitted_at IS NOT NULL;
