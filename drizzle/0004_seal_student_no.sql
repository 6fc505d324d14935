-- The 全国学籍号 (usually 'G' + the ID number) is stored sealed like the ID number: keyed hash,
-- AES-GCM ciphertext and masked text. The plain column is dropped without carrying its values
-- over (sealing needs the application's key): acceptable because there are no production
-- installations yet. Existing development databases lose their 学籍号; re-import the roster.
-- The roster staging table stages the 学籍号 sealed as well, and the original cells (kept for
-- the errors file; they hold the ID number and 学籍号) as one sealed JSON array (cells_enc).
DROP INDEX "students_student_no_uq";--> statement-breakpoint
ALTER TABLE "roster_import_staging" ADD COLUMN "cells_enc" "bytea";--> statement-breakpoint
ALTER TABLE "roster_import_staging" ADD COLUMN "student_no_hash" text;--> statement-breakpoint
ALTER TABLE "roster_import_staging" ADD COLUMN "student_no_enc" "bytea";--> statement-breakpoint
ALTER TABLE "roster_import_staging" ADD COLUMN "student_no_masked" text;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "student_no_hash" text;--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "student_no_enc" "bytea";--> statement-breakpoint
ALTER TABLE "students" ADD COLUMN "student_no_masked" text;--> statement-breakpoint
CREATE UNIQUE INDEX "students_student_no_hash_uq" ON "students" USING btree ("student_no_hash");--> statement-breakpoint
ALTER TABLE "roster_import_staging" DROP COLUMN "cells";--> statement-breakpoint
ALTER TABLE "roster_import_staging" DROP COLUMN "student_no";--> statement-breakpoint
ALTER TABLE "students" DROP COLUMN "student_no";
