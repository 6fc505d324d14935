-- exam_scores (0012), exam_unit_results, exam_candidates and exam_awards (0011) carry no foreign key
-- on exam_id: a row trigger deletes them with their exam, but TRUNCATE fires no row trigger. When
-- exams is truncated (the demo's `--force` truncates the county's tables … CASCADE, which reaches
-- exams), truncate them too.
CREATE OR REPLACE FUNCTION exams_truncate_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE exam_scores, exam_unit_results, exam_candidates, exam_awards;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER exams_truncate_results
  AFTER TRUNCATE ON exams
  FOR EACH STATEMENT EXECUTE FUNCTION exams_truncate_results();
