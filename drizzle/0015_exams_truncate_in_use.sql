-- 0013 truncates exams' scores and results when exams is truncated. When the same TRUNCATE … CASCADE
-- already holds one of them (the demo's --force truncates users, which reaches exams AND
-- exam_candidates / exam_awards through decided_by / reviewed_by), truncating it again fails with
-- "cannot TRUNCATE … because it is being used by active queries in this session" (55006). Then
-- delete instead (those tables were just emptied by the outer TRUNCATE; the rest are deleted).
CREATE OR REPLACE FUNCTION exams_truncate_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    TRUNCATE exam_scores, exam_unit_results, exam_candidates, exam_awards;
  EXCEPTION WHEN object_in_use THEN
    DELETE FROM exam_scores;
    DELETE FROM exam_unit_results;
    DELETE FROM exam_candidates;
    DELETE FROM exam_awards;
  END;
  RETURN NULL;
END;
$$;
