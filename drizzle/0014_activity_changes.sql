CREATE TABLE "activity_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activity_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"pairing_id" integer,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "activity_changes_xid_idx" ON "activity_changes" USING btree ("xid");--> statement-breakpoint
-- Every statement that inserts, updates, deletes or truncates activities logs the pairings it
-- touched (one row per pairing and statement; a bulk insert of a semester logs each pairing once).
-- Standings (src/modules/pairings/standing.service.ts) re-read only those pairings' records.
CREATE OR REPLACE FUNCTION activity_changes_log() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO activity_changes (pairing_id) SELECT DISTINCT pairing_id FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO activity_changes (pairing_id) SELECT pairing_id FROM new_rows UNION SELECT pairing_id FROM old_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO activity_changes (pairing_id) SELECT DISTINCT pairing_id FROM old_rows;
  ELSE
    INSERT INTO activity_changes (pairing_id) VALUES (NULL);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER activities_log_insert AFTER INSERT ON activities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_changes_log();
--> statement-breakpoint
CREATE TRIGGER activities_log_update AFTER UPDATE ON activities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_changes_log();
--> statement-breakpoint
CREATE TRIGGER activities_log_delete AFTER DELETE ON activities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_changes_log();
--> statement-breakpoint
CREATE TRIGGER activities_log_truncate AFTER TRUNCATE ON activities
  FOR EACH STATEMENT EXECUTE FUNCTION activity_changes_log();
