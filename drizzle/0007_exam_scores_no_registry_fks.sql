ALTER TABLE "exam_scores" DROP CONSTRAINT "exam_scores_student_id_students_id_fk";
--> statement-breakpoint
ALTER TABLE "exam_scores" DROP CONSTRAINT "exam_scores_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "exam_scores" DROP CONSTRAINT "exam_scores_class_id_classes_id_fk";
