CREATE TABLE "unknown_login_failures" (
	"name_hash" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"locked_until" timestamp with time zone,
	"last_failure_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "unknown_login_failures_last_idx" ON "unknown_login_failures" USING btree ("last_failure_at");