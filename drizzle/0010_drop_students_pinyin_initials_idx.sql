DROP INDEX "students_pinyin_idx";--> statement-breakpoint
DROP INDEX "students_initials_idx";