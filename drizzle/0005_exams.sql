CREATE TABLE "exam_awards" (
	"exam_id" text NOT NULL,
	"level" text NOT NULL,
	"unit_key" text NOT NULL,
	"unit_name" text NOT NULL,
	"subject" text NOT NULL,
	"rule" text NOT NULL,
	"rule_kind" text NOT NULL,
	"amount" double precision NOT NULL,
	"reason" text NOT NULL,
	"school_id" integer,
	"status" text DEFAULT 'computed' NOT NULL,
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	CONSTRAINT "exam_awards_exam_id_level_unit_key_subject_rule_pk" PRIMARY KEY("exam_id","level","unit_key","subject","rule")
);
--> statement-breakpoint
CREATE TABLE "exam_candidates" (
	"exam_id" text NOT NULL,
	"student_id" integer NOT NULL,
	"class_id" integer,
	"school_id" integer NOT NULL,
	"reason" text NOT NULL,
	"subjects" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	CONSTRAINT "exam_candidates_exam_id_student_id_pk" PRIMARY KEY("exam_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "exam_scores" (
	"exam_id" text NOT NULL,
	"row_no" integer NOT NULL,
	"student_id" integer,
	"school_id" integer,
	"school_code" text NOT NULL,
	"class_id" integer,
	"class_label" text,
	"name" text NOT NULL,
	"identity_masked" text,
	"scores" double precision[] NOT NULL,
	CONSTRAINT "exam_scores_exam_id_row_no_pk" PRIMARY KEY("exam_id","row_no")
);
--> statement-breakpoint
CREATE TABLE "exam_subject_stats" (
	"exam_id" text NOT NULL,
	"subject" text NOT NULL,
	"ord" smallint NOT NULL,
	"is_total" boolean NOT NULL,
	"full_marks" double precision NOT NULL,
	"n" integer NOT NULL,
	"absent" integer NOT NULL,
	"position" integer NOT NULL,
	"cut" double precision,
	"cut_is_absent" boolean DEFAULT false NOT NULL,
	"bottom" integer NOT NULL,
	"mean" double precision,
	"pass_rate" double precision,
	"excellence_rate" double precision,
	"distribution" integer[] NOT NULL,
	CONSTRAINT "exam_subject_stats_exam_id_subject_pk" PRIMARY KEY("exam_id","subject")
);
--> statement-breakpoint
CREATE TABLE "exam_targets" (
	"grade" smallint NOT NULL,
	"school_year" text NOT NULL,
	"config" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exam_targets_grade_school_year_pk" PRIMARY KEY("grade","school_year")
);
--> statement-breakpoint
CREATE TABLE "exam_unit_results" (
	"exam_id" text NOT NULL,
	"subject" text NOT NULL,
	"level" text NOT NULL,
	"unit_key" text NOT NULL,
	"unit_name" text NOT NULL,
	"school_id" integer,
	"class_id" integer,
	"teacher_id" integer,
	"head_teacher" text,
	"enrolled" integer NOT NULL,
	"absent" integer NOT NULL,
	"bottom" integer NOT NULL,
	"ratio" double precision NOT NULL,
	"rank" integer NOT NULL,
	"rank_in_school" integer NOT NULL,
	"denominator" integer NOT NULL,
	"mean" double precision,
	"pass_rate" double precision,
	"excellence_rate" double precision,
	"composite" double precision,
	"points_vs_previous" double precision,
	"bottom_change_vs_previous" integer,
	"rank_rise_vs_previous" integer,
	"points_vs_baseline" double precision,
	"target_status" text,
	"target_note" text,
	CONSTRAINT "exam_unit_results_exam_id_subject_level_unit_key_pk" PRIMARY KEY("exam_id","subject","level","unit_key")
);
--> statement-breakpoint
CREATE TABLE "exams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"school_year" text NOT NULL,
	"term" smallint NOT NULL,
	"kind" text NOT NULL,
	"scope" text DEFAULT 'county' NOT NULL,
	"school_id" integer,
	"grade" smallint NOT NULL,
	"exam_date" date,
	"subjects" jsonb NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"matched_count" integer DEFAULT 0 NOT NULL,
	"unmatched_count" integer DEFAULT 0 NOT NULL,
	"rejected_count" integer DEFAULT 0 NOT NULL,
	"missing_count" integer DEFAULT 0 NOT NULL,
	"import_job_id" text,
	"analysed_at" timestamp with time zone,
	"analysis_ms" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exam_awards" ADD CONSTRAINT "exam_awards_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_awards" ADD CONSTRAINT "exam_awards_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_candidates" ADD CONSTRAINT "exam_candidates_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_candidates" ADD CONSTRAINT "exam_candidates_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_candidates" ADD CONSTRAINT "exam_candidates_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_candidates" ADD CONSTRAINT "exam_candidates_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_candidates" ADD CONSTRAINT "exam_candidates_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_scores" ADD CONSTRAINT "exam_scores_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_scores" ADD CONSTRAINT "exam_scores_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_scores" ADD CONSTRAINT "exam_scores_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_scores" ADD CONSTRAINT "exam_scores_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_subject_stats" ADD CONSTRAINT "exam_subject_stats_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_targets" ADD CONSTRAINT "exam_targets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_unit_results" ADD CONSTRAINT "exam_unit_results_exam_id_exams_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."exams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exams" ADD CONSTRAINT "exams_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exams" ADD CONSTRAINT "exams_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exam_candidates_class_idx" ON "exam_candidates" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "exam_scores_student_idx" ON "exam_scores" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "exam_unit_results_school_idx" ON "exam_unit_results" USING btree ("exam_id","school_id");--> statement-breakpoint
CREATE INDEX "exams_grade_term_idx" ON "exams" USING btree ("grade","school_year","term");