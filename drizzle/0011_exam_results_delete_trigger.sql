ALTER TABLE "exam_awards" DROP CONSTRAINT "exam_awards_exam_id_exams_id_fk";
--> statement-breakpoint
ALTER TABLE "exam_candidates" DROP CONSTRAINT "exam_candidates_exam_id_exams_id_fk";
--> statement-breakpoint
ALTER TABLE "exam_unit_results" DROP CONSTRAINT "exam_unit_results_exam_id_exams_id_fk";
--> statement-breakpoint
-- Instead of ON DELETE CASCADE: deleting an exam deletes its unit rows, candidates and awards.
-- (A foreign key's per-row check doubled the cost of storing a county exam's results; the
-- analysis writes them only for an exam it holds locked.)
CREATE OR REPLACE FUNCTION exams_delete_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM exam_unit_results WHERE exam_id = OLD.id;
  DELETE FROM exam_candidates WHERE exam_id = OLD.id;
  DELETE FROM exam_awards WHERE exam_id = OLD.id;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER exams_delete_results
  BEFORE DELETE ON exams
  FOR EACH ROW EXECUTE FUNCTION exams_delete_results();
