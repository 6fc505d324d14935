ALTER TABLE "exam_scores" DROP CONSTRAINT "exam_scores_exam_id_exams_id_fk";
--> statement-breakpoint
-- Instead of ON DELETE CASCADE: deleting an exam deletes its scores too (like its results, 0011).
CREATE OR REPLACE FUNCTION exams_delete_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM exam_scores WHERE exam_id = OLD.id;
  DELETE FROM exam_unit_results WHERE exam_id = OLD.id;
  DELETE FROM exam_candidates WHERE exam_id = OLD.id;
  DELETE FROM exam_awards WHERE exam_id = OLD.id;
  RETURN OLD;
END;
$$;
