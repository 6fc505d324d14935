-- Scores keep history: a corrected re-import moves the scores it replaces into
-- exam_score_history (one exam_score_versions row per replaced set: the import that had loaded
-- them, their subjects, when and by which import they were replaced) instead of deleting them.
CREATE TABLE "exam_score_history" (
	"version_id" integer NOT NULL,
	"row_no" integer NOT NULL,
	"student_id" integer,
	"school_id" integer,
	"school_code" text NOT NULL,
	"class_id" integer,
	"class_label" text,
	"name" text NOT NULL,
	"identity_masked" text,
	"scores" double precision[] NOT NULL,
	CONSTRAINT "exam_score_history_version_id_row_no_pk" PRIMARY KEY("version_id","row_no")
);
--> statement-breakpoint
CREATE TABLE "exam_score_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "exam_score_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"exam_id" text NOT NULL,
	"import_job_id" text,
	"subjects" jsonb NOT NULL,
	"row_count" integer NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_by_job_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exam_score_versions" ADD CONSTRAINT "exam_score_versions_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exam_score_history_student_idx" ON "exam_score_history" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "exam_score_versions_exam_idx" ON "exam_score_versions" USING btree ("exam_id");

--> statement-breakpoint
-- The history rows carry no foreign key (as exam_scores): deleted with their exam by its row
-- trigger (before the versions go by their ON DELETE CASCADE), truncated with exams.
CREATE OR REPLACE FUNCTION exams_delete_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM exam_scores WHERE exam_id = OLD.id;
  DELETE FROM exam_score_history WHERE version_id IN (SELECT id FROM exam_score_versions WHERE exam_id = OLD.id);
  DELETE FROM exam_unit_results WHERE exam_id = OLD.id;
  DELETE FROM exam_candidates WHERE exam_id = OLD.id;
  DELETE FROM exam_awards WHERE exam_id = OLD.id;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION exams_truncate_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    TRUNCATE exam_scores, exam_score_history, exam_unit_results, exam_candidates, exam_awards;
  EXCEPTION WHEN object_in_use THEN
    DELETE FROM exam_scores;
    DELETE FROM exam_score_history;
    DELETE FROM exam_unit_results;
    DELETE FROM exam_candidates;
    DELETE FROM exam_awards;
  END;
  RETURN NULL;
END;
$$;
