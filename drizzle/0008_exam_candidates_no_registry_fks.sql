ALTER TABLE "exam_candidates" DROP CONSTRAINT "exam_candidates_student_id_students_id_fk";
--> statement-breakpoint
ALTER TABLE "exam_candidates" DROP CONSTRAINT "exam_candidates_class_id_classes_id_fk";
--> statement-breakpoint
ALTER TABLE "exam_candidates" DROP CONSTRAINT "exam_candidates_school_id_schools_id_fk";
