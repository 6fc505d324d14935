CREATE TABLE "activities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"pairing_id" integer NOT NULL,
	"type" text NOT NULL,
	"date" date NOT NULL,
	"role" text NOT NULL,
	"person_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confidential" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"recorded_by" integer,
	"recorded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_checks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activity_checks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"activity_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"reviewer_id" integer,
	"reviewer_name" text NOT NULL,
	"verdict" text NOT NULL,
	"comment" text,
	"spot_check" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairing_participants" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairing_participants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"pairing_id" integer NOT NULL,
	"role" text NOT NULL,
	"side" text NOT NULL,
	"person_kind" text NOT NULL,
	"person_id" integer NOT NULL,
	"school_id" integer,
	"from_date" date NOT NULL,
	"to_date" date,
	"end_reason" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairing_status_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairing_status_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"pairing_id" integer NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"effective_date" date,
	"reason" text,
	"actor_user_id" integer,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"programme_id" integer NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"plan" text,
	"school_id" integer,
	"subject_ref" jsonb,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "programmes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"roles" jsonb NOT NULL,
	"activity_types" jsonb NOT NULL,
	"quotas" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"updated_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_calendars" (
	"school_year" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_pairing_id_pairings_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."pairings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_checks" ADD CONSTRAINT "activity_checks_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_checks" ADD CONSTRAINT "activity_checks_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_participants" ADD CONSTRAINT "pairing_participants_pairing_id_pairings_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."pairings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_participants" ADD CONSTRAINT "pairing_participants_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_participants" ADD CONSTRAINT "pairing_participants_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_status_history" ADD CONSTRAINT "pairing_status_history_pairing_id_pairings_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."pairings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_calendars" ADD CONSTRAINT "school_calendars_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_pairing_date_idx" ON "activities" USING btree ("pairing_id","date");--> statement-breakpoint
CREATE INDEX "activities_recorded_by_idx" ON "activities" USING btree ("recorded_by");--> statement-breakpoint
CREATE INDEX "activities_status_date_idx" ON "activities" USING btree ("status","date");--> statement-breakpoint
CREATE INDEX "activity_checks_activity_idx" ON "activity_checks" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "pairing_participants_pairing_idx" ON "pairing_participants" USING btree ("pairing_id");--> statement-breakpoint
CREATE INDEX "pairing_participants_person_idx" ON "pairing_participants" USING btree ("person_kind","person_id");--> statement-breakpoint
CREATE INDEX "pairing_participants_school_idx" ON "pairing_participants" USING btree ("school_id");--> statement-breakpoint
CREATE INDEX "pairing_status_history_pairing_idx" ON "pairing_status_history" USING btree ("pairing_id");--> statement-breakpoint
CREATE INDEX "pairings_programme_status_idx" ON "pairings" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "pairings_school_idx" ON "pairings" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programmes_key_uq" ON "programmes" USING btree ("key");
--> statement-breakpoint
-- Status history and checks are append-only: history is never edited (docs/pairings.md).
CREATE OR REPLACE FUNCTION append_only_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pairing_status_history_append_only
  BEFORE UPDATE OR DELETE ON pairing_status_history
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER activity_checks_append_only
  BEFORE UPDATE OR DELETE ON activity_checks
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
-- The default programmes with the engine's DEFAULT_QUOTAS, generated from DEFAULT_PROGRAMMES
-- (src/modules/pairings/programmes.ts; tests/integration/pairings-programmes.test.ts checks they match).
-- A bureau edits them afterwards; ON CONFLICT keeps an existing programme of the same key untouched.
INSERT INTO programmes (key, name, description, roles, activity_types, quotas, active, builtin) VALUES
  ($seed$teacher_student$seed$, $seed$师生结对帮扶$seed$, $seed$每位教师结对帮扶1—2名学生（学困生、贫困生、留守儿童等），一对一：一个结对即一名教师与一名学生。规则见 001 篇四、篇六。$seed$, $seed$[{"key":"helper","label":"帮扶教师","side":"helper","kind":"teacher","min":1,"max":1},{"key":"helped","label":"帮扶学生","side":"helped","kind":"student","min":1,"max":1}]$seed$::jsonb, $seed$[{"key":"talk","label":"谈心谈话","roles":["helper"],"fields":[{"key":"topic","label":"谈话主题","type":"text"}],"confidential":"optional"},{"key":"study_guidance","label":"学习方法指导","roles":["helper"],"fields":[{"key":"subject","label":"学科","type":"text"}],"confidential":"optional"},{"key":"phone_visit","label":"电话家访","roles":["helper"],"fields":[{"key":"met","label":"通话对象","type":"text","required":true},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"},{"key":"home_visit","label":"家访","roles":["helper"],"fields":[{"key":"met","label":"见到的家长/监护人","type":"text","required":true},{"key":"home_situation","label":"家庭情况","type":"textarea"},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"},{"key":"reflection_essay","label":"帮扶心得体会","roles":["helper"],"fields":[],"confidential":"optional"}]$seed$::jsonb, $seed$[{"id":"ts.talk.fortnight","activityTypes":["talk"],"role":"helper","minCount":1,"period":"two_weeks","label":"谈心谈话（每两周1次）","source":"001 篇六 第6条"},{"id":"ts.talk.semester","activityTypes":["talk"],"role":"helper","minCount":10,"period":"semester","label":"谈心谈话（每学期不少于10次）","source":"001 篇六 第6条"},{"id":"ts.study_guidance","activityTypes":["study_guidance"],"role":"helper","minCount":1,"period":"month","label":"学习方法指导（每月1次）","source":"001 篇六 第6条"},{"id":"ts.home_contact","activityTypes":["phone_visit","home_visit"],"role":"helper","minCount":2,"period":"semester","occasions":"any_day","label":"电访或家访（每学期不少于2次）","source":"001 篇六 第5条"},{"id":"ts.reflection","activityTypes":["reflection_essay"],"role":"helper","minCount":1,"period":"semester","occasions":"any_day","label":"帮扶心得体会（每学期1篇）","source":"001 篇六 第8条"}]$seed$::jsonb, true, true),
  ($seed$peer$seed$, $seed$生生结对（一帮一）$seed$, $seed$品学兼优的学生或班干部与学习困难的学生一帮一、一对红，假期通过电话、网络继续。文件未规定次数：配额由教育局按需设置。$seed$, $seed$[{"key":"helper","label":"帮扶学生","side":"helper","kind":"student","min":1,"max":1},{"key":"helped","label":"受助学生","side":"helped","kind":"student","min":1,"max":1}]$seed$::jsonb, $seed$[{"key":"peer_tutoring","label":"结对辅导","fields":[{"key":"subject","label":"学科","type":"text"},{"key":"online","label":"电话/网络辅导","type":"boolean"}],"confidential":"never"}]$seed$::jsonb, $seed$[]$seed$::jsonb, true, true),
  ($seed$mentoring$seed$, $seed$师徒结对（青蓝工程）$seed$, $seed$指导教师与教龄三年以内的青年教师结对，双向选择，最好在同一教研组；一名师傅带多名徒弟即多个结对。规则见 000 范文3。$seed$, $seed$[{"key":"helper","label":"指导教师（师傅）","side":"helper","kind":"teacher","min":1,"max":1},{"key":"helped","label":"青年教师（徒弟）","side":"helped","kind":"teacher","min":1,"max":1}]$seed$::jsonb, $seed$[{"key":"guidance","label":"业务指导","roles":["helper"],"fields":[],"confidential":"optional"},{"key":"lesson_observation","label":"听课","roles":["helper","helped"],"fields":[{"key":"subject","label":"学科","type":"text"},{"key":"lesson_title","label":"课题","type":"text"},{"key":"class_name","label":"班级","type":"text"}],"confidential":"never"},{"key":"public_lesson","label":"公开课","roles":["helped"],"fields":[{"key":"subject","label":"学科","type":"text"},{"key":"lesson_title","label":"课题","type":"text"},{"key":"class_name","label":"班级","type":"text"}],"confidential":"never"},{"key":"study_reflection","label":"学习心得体会","roles":["helped"],"fields":[],"confidential":"optional"},{"key":"lesson_plan_check","label":"检查教案","roles":["helper"],"fields":[],"confidential":"optional"},{"key":"midterm_evaluation","label":"期中教学评估","roles":["helper"],"fields":[],"confidential":"optional"},{"key":"semester_summary","label":"学期阶段性总结","roles":["helper"],"fields":[],"confidential":"optional"}]$seed$::jsonb, $seed$[{"id":"m.guidance","activityTypes":["guidance"],"role":"helper","minCount":1,"period":"week","label":"业务指导（每周不少于1次）","source":"000 范文3 青年教师第5条"},{"id":"m.observe.mentor_month","activityTypes":["lesson_observation"],"role":"helper","minCount":4,"period":"month","maxPerDay":3,"label":"师傅听徒弟的课（每月不少于4节）","source":"000 范文3 青年教师第5条"},{"id":"m.observe.apprentice_month","activityTypes":["lesson_observation"],"role":"helped","minCount":4,"period":"month","maxPerDay":3,"label":"徒弟听师傅的课（每月不少于4节）","source":"000 范文3 青年教师第5条"},{"id":"m.observe.apprentice_semester","activityTypes":["lesson_observation"],"role":"helped","minCount":25,"period":"semester","maxPerDay":3,"label":"徒弟听课（每学期不少于25节）","source":"000 范文3 青年教师第6条"},{"id":"m.public_lesson","activityTypes":["public_lesson"],"role":"helped","minCount":1,"period":"semester","label":"徒弟上公开课（每学期至少1节）","source":"000 范文3 青年教师第5条"},{"id":"m.study_reflection","activityTypes":["study_reflection"],"role":"helped","minCount":2,"period":"semester","occasions":"any_day","label":"徒弟学习心得体会（每学期期中、期末各1份）","source":"000 范文3 青年教师第3条"},{"id":"m.lesson_plan_check","activityTypes":["lesson_plan_check"],"role":"helper","minCount":1,"period":"month","label":"师傅检查教案（每月1次）","source":"000 范文3 指导老师第2条"},{"id":"m.midterm_evaluation","activityTypes":["midterm_evaluation"],"role":"helper","minCount":1,"period":"semester","label":"期中教学评估（每学期1次）","source":"000 范文3 指导老师第6条"},{"id":"m.semester_summary","activityTypes":["semester_summary"],"role":"helper","minCount":1,"period":"semester","occasions":"any_day","label":"学期阶段性总结（每学期1份）","source":"000 范文3 指导老师第6条"}]$seed$::jsonb, true, true),
  ($seed$mentoring_special_post$seed$, $seed$师徒结对（特岗教师培养）$seed$, $seed$特岗教师的师徒结对：师傅听徒弟教研课、徒弟听师傅教研课。规则见 000 范文6。$seed$, $seed$[{"key":"helper","label":"指导教师（师傅）","side":"helper","kind":"teacher","min":1,"max":1},{"key":"helped","label":"青年教师（徒弟）","side":"helped","kind":"teacher","min":1,"max":1}]$seed$::jsonb, $seed$[{"key":"lesson_observation","label":"听课","roles":["helper","helped"],"fields":[{"key":"subject","label":"学科","type":"text"},{"key":"lesson_title","label":"课题","type":"text"},{"key":"class_name","label":"班级","type":"text"}],"confidential":"never"}]$seed$::jsonb, $seed$[{"id":"msp.observe.mentor","activityTypes":["lesson_observation"],"role":"helper","minCount":10,"period":"semester","maxPerDay":3,"label":"师傅听徒弟教研课（每学期不少于10节）","source":"000 范文6 第2条"},{"id":"msp.observe.apprentice","activityTypes":["lesson_observation"],"role":"helped","minCount":15,"period":"semester","maxPerDay":3,"label":"徒弟听师傅教研课（每学期不少于15节）","source":"000 范文6 第2条"}]$seed$::jsonb, true, true),
  ($seed$school_pairing$seed$, $seed$校校结对$seed$, $seed$支援学校（城区、优质学校）与受援学校（农村、薄弱学校）结对；一对多即多个结对。规则见 001 篇二、篇五，003 范文第1篇。$seed$, $seed$[{"key":"helper","label":"支援学校","side":"helper","kind":"school","min":1,"max":1},{"key":"helped","label":"受援学校","side":"helped","kind":"school","min":1,"max":1}]$seed$::jsonb, $seed$[{"key":"demonstration_lesson","label":"示范课/交流研讨课","roles":["helper"],"fields":[{"key":"teachers","label":"授课教师","type":"text"},{"key":"subject","label":"学科","type":"text"},{"key":"lesson_title","label":"课题","type":"text"}],"confidential":"never"},{"key":"observation_visit","label":"组织教师听课评课","roles":["helped"],"fields":[{"key":"people","label":"参加人数","type":"integer","min":1,"max":1000}],"confidential":"never"},{"key":"management_lecture","label":"学校管理讲座","roles":["helper"],"fields":[{"key":"topic","label":"讲座题目","type":"text"}],"confidential":"never"},{"key":"sending_teaching","label":"送教","roles":["helper"],"fields":[{"key":"teachers","label":"送教教师","type":"text"},{"key":"subject","label":"学科","type":"text"}],"confidential":"never"},{"key":"joint_research","label":"教科研课题交流","roles":["helper","helped"],"fields":[{"key":"topic","label":"课题名称","type":"text"}],"confidential":"never"},{"key":"manager_exchange","label":"管理干部交流","roles":["helper","helped"],"fields":[{"key":"person","label":"交流人员","type":"text","required":true}],"confidential":"never"},{"key":"teacher_exchange","label":"教师交流","roles":["helper","helped"],"fields":[{"key":"person","label":"交流人员","type":"text","required":true}],"confidential":"never"}]$seed$::jsonb, $seed$[{"id":"sp.demonstration_lesson","activityTypes":["demonstration_lesson"],"role":"helper","minCount":2,"period":"semester","label":"派教师上示范课（每学期至少2次）","source":"001 篇二"},{"id":"sp.observation_visit","activityTypes":["observation_visit"],"role":"helped","minCount":2,"period":"semester","label":"组织教师听课评课（每学期至少2次）","source":"001 篇二"},{"id":"sp.management_lecture","activityTypes":["management_lecture"],"role":"helper","minCount":2,"period":"school_year","label":"校长管理讲座（每学年2次）","source":"001 篇五 四.1"},{"id":"sp.sending_teaching","activityTypes":["sending_teaching"],"role":"helper","minCount":1,"period":"semester","window":{"months":[3,4,5,10,11,12]},"label":"送教（3—5月、10—12月各1次）","source":"001 篇五 四.2"},{"id":"sp.joint_research","activityTypes":["joint_research"],"role":"helper","minCount":1,"period":"school_year","occasions":"any_day","label":"教科研课题交流（每学年1—2个）","source":"001 篇五 四.3"},{"id":"sp.manager_exchange.helper","activityTypes":["manager_exchange"],"role":"helper","minCount":1,"period":"school_year","occasions":"any_day","label":"派出管理干部交流（每学年1名）","source":"003 范文第1篇"},{"id":"sp.manager_exchange.helped","activityTypes":["manager_exchange"],"role":"helped","minCount":1,"period":"school_year","occasions":"any_day","label":"派出管理干部交流（每学年1名）","source":"003 范文第1篇"},{"id":"sp.teacher_exchange.helper","activityTypes":["teacher_exchange"],"role":"helper","minCount":2,"period":"school_year","occasions":"any_day","label":"派出优秀教师交流（每学年不少于2名）","source":"003 范文第1篇"},{"id":"sp.teacher_exchange.helped","activityTypes":["teacher_exchange"],"role":"helped","minCount":2,"period":"school_year","occasions":"any_day","label":"派出教师交流（每学年不少于2名）","source":"003 范文第1篇"}]$seed$::jsonb, true, true),
  ($seed$learning_community$seed$, $seed$学习共同体$seed$, $seed$一所龙头校带若干成员校，捆绑式考核：成员校一方的配额合并计数。规则见 003 范文第5篇。$seed$, $seed$[{"key":"helper","label":"龙头校","side":"helper","kind":"school","min":1,"max":1},{"key":"helped","label":"成员校","side":"helped","kind":"school","min":1,"max":10}]$seed$::jsonb, $seed$[{"key":"principals_meeting","label":"校长例会","roles":["helper"],"fields":[{"key":"topic","label":"议题","type":"text"}],"confidential":"never"},{"key":"collective_preparation","label":"集体备课","roles":["helper"],"fields":[{"key":"subject","label":"学科","type":"text"}],"confidential":"never"},{"key":"open_classroom_week","label":"骨干教师开放课堂周","roles":["helper","helped"],"fields":[{"key":"teachers","label":"开放课堂的教师","type":"text"}],"confidential":"never"},{"key":"art_pe_teaching","label":"音体美教师支教","roles":["helper"],"fields":[{"key":"teacher","label":"支教教师","type":"text"},{"key":"subject","label":"学科","type":"text"}],"confidential":"never"}]$seed$::jsonb, $seed$[{"id":"lc.principals_meeting","activityTypes":["principals_meeting"],"role":"helper","minCount":1,"period":"month","label":"校长例会（每月1次）","source":"003 范文第5篇"},{"id":"lc.collective_preparation","activityTypes":["collective_preparation"],"role":"helper","minCount":1,"period":"month","window":{"nthWeekdayOfMonth":{"n":2,"weekday":5}},"label":"集体备课（每月第二个周五下午）","source":"003 范文第5篇"},{"id":"lc.open_classroom.helper","activityTypes":["open_classroom_week"],"role":"helper","minCount":1,"period":"semester","label":"骨干教师开放课堂一周（每学期）","source":"003 范文第5篇"},{"id":"lc.open_classroom.helped","activityTypes":["open_classroom_week"],"role":"helped","minCount":1,"period":"semester","label":"骨干教师开放课堂一周（每学期）","source":"003 范文第5篇"},{"id":"lc.art_pe_teaching","activityTypes":["art_pe_teaching"],"role":"helper","minCount":1,"period":"week","label":"音体美教师到成员校支教（每周）","source":"003 范文第5篇"}]$seed$::jsonb, true, true),
  ($seed$home_visit$seed$, $seed$家校联系（家访）$seed$, $seed$教师每学期对每一名学生家访一次，并填写家访表。一个结对即一名教师与其负责的学生。规则见 003 范文第5篇。$seed$, $seed$[{"key":"helper","label":"家访教师","side":"helper","kind":"teacher","min":1,"max":1},{"key":"helped","label":"学生","side":"helped","kind":"student","min":1,"max":100}]$seed$::jsonb, $seed$[{"key":"home_visit","label":"家访","roles":["helper"],"fields":[{"key":"met","label":"见到的家长/监护人","type":"text","required":true},{"key":"home_situation","label":"家庭情况","type":"textarea"},{"key":"agreed","label":"商定事项","type":"textarea"}],"confidential":"optional"}]$seed$::jsonb, $seed$[{"id":"hv.each_student","activityTypes":["home_visit"],"role":"helper","each":"helped","minCount":1,"period":"semester","occasions":"any_day","label":"家访每一名学生（每学期1次）","source":"003 范文第5篇"}]$seed$::jsonb, true, true),
  ($seed$dispatch$seed$, $seed$支教$seed$, $seed$优质学校教师到农村受援学校支教一学期或一学年。文件未规定次数：配额由教育局按需设置。$seed$, $seed$[{"key":"dispatched_teacher","label":"支教教师","side":"helper","kind":"teacher","min":1,"max":1},{"key":"recipient_school","label":"受援学校","side":"helped","kind":"school","min":1,"max":1}]$seed$::jsonb, $seed$[{"key":"dispatch_teaching","label":"支教上课","roles":["dispatched_teacher"],"fields":[{"key":"subject","label":"学科","type":"text"},{"key":"lesson_title","label":"课题","type":"text"},{"key":"class_name","label":"班级","type":"text"},{"key":"lessons","label":"课时数","type":"integer","min":1,"max":20}],"confidential":"never"},{"key":"demonstration_lesson","label":"示范课/交流研讨课","roles":["dispatched_teacher"],"fields":[{"key":"subject","label":"学科","type":"text"},{"key":"lesson_title","label":"课题","type":"text"},{"key":"class_name","label":"班级","type":"text"}],"confidential":"never"},{"key":"semester_summary","label":"学期阶段性总结","roles":["dispatched_teacher"],"fields":[],"confidential":"optional"}]$seed$::jsonb, $seed$[]$seed$::jsonb, true, true)
ON CONFLICT (key) DO NOTHING;
