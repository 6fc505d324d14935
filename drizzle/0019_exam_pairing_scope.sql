-- Exams of one school-to-school pairing (scope 'pairing'): a 联考 of the pairing's schools. The
-- schools are the pairing's participants of kind 'school'; scope, import and analysis read them
-- from pairing_participants, so only the pairing is stored here.
ALTER TABLE "exams" ADD COLUMN "pairing_id" integer;--> statement-breakpoint
ALTER TABLE "exams" ADD CONSTRAINT "exams_pairing_id_pairings_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."pairings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exams_pairing_idx" ON "exams" USING btree ("pairing_id");