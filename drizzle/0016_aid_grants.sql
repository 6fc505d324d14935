CREATE TABLE "aid_grants" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "aid_grants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"student_id" integer NOT NULL,
	"school_id" integer NOT NULL,
	"school_year" text NOT NULL,
	"term" smallint,
	"item_key" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"granted_on" date NOT NULL,
	"source" text NOT NULL,
	"method" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'granted' NOT NULL,
	"revoked_reason" text,
	"revoked_at" timestamp with time zone,
	"revoked_by" integer,
	"recorded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aid_items" (
	"key" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"default_source" text NOT NULL,
	"standard_fen" integer,
	"period" text DEFAULT 'year' NOT NULL,
	"standard_note" text,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "aid_grants" ADD CONSTRAINT "aid_grants_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_grants" ADD CONSTRAINT "aid_grants_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_grants" ADD CONSTRAINT "aid_grants_item_key_aid_items_key_fk" FOREIGN KEY ("item_key") REFERENCES "public"."aid_items"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_grants" ADD CONSTRAINT "aid_grants_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_grants" ADD CONSTRAINT "aid_grants_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aid_grants_student_year_idx" ON "aid_grants" USING btree ("student_id","school_year");--> statement-breakpoint
CREATE INDEX "aid_grants_school_year_idx" ON "aid_grants" USING btree ("school_id","school_year","item_key");--> statement-breakpoint
-- The usual aid programmes (DOMAIN.md 精准资助; docs/support.md 资助). Amounts in fen; a bureau adds or retires items.
INSERT INTO aid_items (key, label, default_source, standard_fen, period, standard_note, sort_order) VALUES
  ('living_boarding', '义务教育家庭经济困难学生生活补助（寄宿生）', 'central', NULL, 'year', '小学 1000 元/学年，初中 1250 元/学年，按学期发放', 10),
  ('living_day', '义务教育家庭经济困难学生生活补助（非寄宿生）', 'central', NULL, 'year', '小学 500 元/学年，初中 625 元/学年，按学期发放', 20),
  ('nutrition', '农村义务教育学生营养改善计划', 'central', 500, 'day', '5 元/天，每学年约 200 天', 30),
  ('national_grant', '国家助学金', 'central', 200000, 'year', '普通高中、中职，平均 2000 元/学年', 40),
  ('tuition_waiver', '免学费', 'province', NULL, 'semester', '普通高中建档立卡等家庭经济困难学生、中职学生', 50),
  ('free_textbooks', '免费教科书', 'central', NULL, 'year', '义务教育阶段，实物', 60),
  ('yulu', '雨露计划', 'central', 150000, 'semester', '建档立卡脱贫家庭子女就读中高职，1500 元/学期', 70),
  ('lunch', '午餐补助', 'county', NULL, 'semester', '县级财政', 80),
  ('admission_grant', '新生入学一次性资助', 'county', NULL, 'once', '按学段 500–5000 元', 90),
  ('donation', '社会捐助/爱心捐助', 'social', NULL, 'once', '爱心企业、个人捐资助学', 100),
  ('emergency', '临时救助', 'county', NULL, 'once', '突发困难，一次性', 110)
ON CONFLICT (key) DO NOTHING;
