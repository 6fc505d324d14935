-- UNLOGGED (added by hand): scratch rows of the roster importer need no WAL and no crash safety.
CREATE UNLOGGED TABLE "roster_import_staging" (
	"job_id" text NOT NULL,
	"row_no" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"cells" jsonb,
	"school_code" text,
	"school_name" text,
	"student_no" text,
	"id_hash" text,
	"id_enc" "bytea",
	"id_masked" text,
	"name" text,
	"name_pinyin" text,
	"name_initials" text,
	"sex" text,
	"birth_date" date,
	"ethnicity" text,
	"address" text,
	"guardians" jsonb,
	"grade" smallint,
	"class_no" smallint,
	"flags_on" text[],
	"flags_off" text[],
	"row_hash" text,
	"content_hash" text,
	"school_id" integer,
	"student_id" integer,
	"class_id" integer,
	"action" text,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roster_import_staging_job_id_row_no_pk" PRIMARY KEY("job_id","row_no")
);
--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "actor_name" text;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "phase" text;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "total_rows" integer;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD COLUMN "heartbeat_at" timestamp with time zone;