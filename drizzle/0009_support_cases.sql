CREATE TABLE "support_case_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_case_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"event" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"categories" text[] NOT NULL,
	"reason" text,
	"note" text,
	"semester" text,
	"actor_user_id" integer,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_cases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"student_id" integer NOT NULL,
	"school_id" integer NOT NULL,
	"school_year" text NOT NULL,
	"class_id" integer,
	"categories" text[] NOT NULL,
	"status" text DEFAULT 'identified' NOT NULL,
	"close_reason" text,
	"closed_on" date,
	"weak_subjects" text[] DEFAULT '{}'::text[] NOT NULL,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"analysis" jsonb,
	"psych_note_enc" "bytea",
	"psych_updated_at" timestamp with time zone,
	"psych_updated_by" integer,
	"last_reviewed_semester" text,
	"previous_case_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "support_case_history" ADD CONSTRAINT "support_case_history_case_id_support_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."support_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_psych_updated_by_users_id_fk" FOREIGN KEY ("psych_updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_cases" ADD CONSTRAINT "support_cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_case_history_case_idx" ON "support_case_history" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "support_cases_student_year_uq" ON "support_cases" USING btree ("student_id","school_year");--> statement-breakpoint
CREATE INDEX "support_cases_school_year_idx" ON "support_cases" USING btree ("school_id","school_year","status");--> statement-breakpoint
CREATE INDEX "support_cases_previous_idx" ON "support_cases" USING btree ("previous_case_id");--> statement-breakpoint
-- A case's history is append-only, like pairing_status_history (the function comes from 0006).
CREATE TRIGGER support_case_history_append_only
  BEFORE UPDATE OR DELETE ON support_case_history
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
-- 师生结对's record forms for support cases (docs/support.md): the support session with its five
-- dimensions, the visit form on phone visits too, 心理辅导 (always confidential) and the student's
-- own record for cross-checking. Generated from TEACHER_STUDENT_TYPES (src/modules/pairings/programmes.ts).
-- Only a definition still exactly as 0006 seeded it is changed: a bureau's own edits are kept.
UPDATE programmes SET activity_types = $seed$[{"key":"talk","label":"谈心谈话","roles":["helper"],"fields":[{"key":"topic","label":"谈话主题","type":"text"},{"key":"result","label":"效果","type":"textarea"}],"confidential":"optional"},{"key":"tutoring","label":"辅导","roles":["helper"],"fields":[{"key":"subject","label":"学科","type":"text","required":true},{"key":"setting","label":"课内/课外","type":"select","options":["课内","课外"],"required":true},{"key":"place","label":"校内/校外","type":"select","options":["校内","校外"]},{"key":"area","label":"学习/生活","type":"select","options":["学习","生活"]},{"key":"aspect","label":"习惯/心理","type":"select","options":["习惯","心理"]},{"key":"focus","label":"作业/能力","type":"select","options":["作业","能力"]},{"key":"result","label":"效果","type":"textarea"}],"confidential":"optional"},{"key":"study_guidance","label":"学习方法指导","roles":["helper"],"fields":[{"key":"subject","label":"学科","type":"text"},{"key":"method","label":"指导的学习方法","type":"text"}],"confidential":"optional"},{"key":"phone_visit","label":"电话家访","roles":["helper"],"fields":[{"key":"met","label":"通话对象","type":"text","required":true},{"key":"home_situation","label":"家庭情况","type":"textarea"},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"},{"key":"home_visit","label":"家访","roles":["helper"],"fields":[{"key":"met","label":"见到的家长/监护人","type":"text","required":true},{"key":"home_situation","label":"家庭情况","type":"textarea"},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"},{"key":"psych_support","label":"心理辅导","roles":["helper"],"fields":[{"key":"topic","label":"主题","type":"text"}],"confidential":"always"},{"key":"student_record","label":"学生帮扶记录（核对）","roles":["helped"],"fields":[{"key":"kind","label":"帮扶方式","type":"select","options":["辅导","谈心","学习方法指导","家访/电访","其他"],"required":true},{"key":"subject","label":"学科","type":"text"}],"confidential":"never"},{"key":"reflection_essay","label":"帮扶心得体会","roles":["helper"],"fields":[],"confidential":"optional"}]$seed$::jsonb, updated_at = now()
  WHERE key = 'teacher_student' AND activity_types = $seed$[{"key":"talk","label":"谈心谈话","roles":["helper"],"fields":[{"key":"topic","label":"谈话主题","type":"text"}],"confidential":"optional"},{"key":"study_guidance","label":"学习方法指导","roles":["helper"],"fields":[{"key":"subject","label":"学科","type":"text"}],"confidential":"optional"},{"key":"phone_visit","label":"电话家访","roles":["helper"],"fields":[{"key":"met","label":"通话对象","type":"text","required":true},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"},{"key":"home_visit","label":"家访","roles":["helper"],"fields":[{"key":"met","label":"见到的家长/监护人","type":"text","required":true},{"key":"home_situation","label":"家庭情况","type":"textarea"},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"},{"key":"reflection_essay","label":"帮扶心得体会","roles":["helper"],"fields":[],"confidential":"optional"}]$seed$::jsonb;
