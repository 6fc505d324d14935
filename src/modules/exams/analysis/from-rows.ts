/**
 * Build the columnar {@link ExamInput} from one object per student — the shape
 * the importer and the database naturally produce. One pass, then the hot path
 * in analyse.ts runs on typed arrays only.
 *
 * Rules:
 * - a class key identifies a class county-wide (the database id); the same key
 *   under two schools is an error, never a silent merge;
 * - a subject with no score for an enrolled student (missing, null, NaN) is an
 *   absence (缺考): DOMAIN counts every enrolled student in the population;
 * - teachers: when every student of a class has the same teacher for a subject
 *   the assignment is passed per class (cheaper: teachers become sums of
 *   classes); otherwise (走班) per student.
 */
import type { ClassRef, ExamInput, SubjectInput, UnitRef } from './analyse.js';

export interface StudentRow {
  schoolKey: string;
  schoolName?: string;
  classKey: string;
  className?: string;
  headTeacher?: string | null;
  /** score per subject name; null / undefined / NaN = absent */
  scores: Record<string, number | null | undefined>;
  /** teacher key per subject name; null / undefined = none recorded */
  teachers?: Record<string, string | null | undefined>;
}

export interface SubjectSpec {
  name: string;
  fullMarks: number;
  countsToTotal: boolean;
}

/** Columnar exam input from student rows; students keep their row index (candidate lists refer to it). */
export function examInputFromStudents(
  rows: readonly StudentRow[],
  subjects: readonly SubjectSpec[],
  teacherNames: Record<string, string> = {},
): Pick<ExamInput, 'schools' | 'classes' | 'teachers' | 'studentClass' | 'subjects'> {
  const schools: UnitRef[] = [];
  const schoolIndex = new Map<string, number>();
  const classes: ClassRef[] = [];
  const classIndex = new Map<string, number>();
  const teachers: UnitRef[] = [];
  const teacherIndex = new Map<string, number>();
  const n = rows.length;
  const studentClass = new Int32Array(n);
  const scores = subjects.map(() => new Float64Array(n));
  const teacherOf = subjects.map(() => new Int32Array(n).fill(-1));

  rows.forEach((row, i) => {
    let s = schoolIndex.get(row.schoolKey);
    if (s === undefined) {
      s = schools.length;
      schoolIndex.set(row.schoolKey, s);
      schools.push({ key: row.schoolKey, name: row.schoolName ?? row.schoolKey });
    }
    let c = classIndex.get(row.classKey);
    if (c === undefined) {
      c = classes.length;
      classIndex.set(row.classKey, c);
      classes.push({ key: row.classKey, name: row.className ?? row.classKey, school: s, headTeacher: row.headTeacher ?? null });
    } else if (classes[c]!.school !== s) {
      throw new RangeError(`班级 ${row.classKey} 同时出现在学校 ${schools[classes[c]!.school]!.key} 和 ${row.schoolKey}`);
    }
    studentClass[i] = c;
    subjects.forEach((subject, j) => {
      const v = row.scores[subject.name];
      scores[j]![i] = v === null || v === undefined ? NaN : v;
      const t = row.teachers?.[subject.name];
      if (t !== null && t !== undefined) {
        let k = teacherIndex.get(t);
        if (k === undefined) {
          k = teachers.length;
          teacherIndex.set(t, k);
          teachers.push({ key: t, name: teacherNames[t] ?? t });
        }
        teacherOf[j]![i] = k;
      }
    });
  });

  const subjectInputs: SubjectInput[] = subjects.map((subject, j) => {
    const perStudent = teacherOf[j]!;
    const base = { name: subject.name, fullMarks: subject.fullMarks, countsToTotal: subject.countsToTotal, scores: scores[j]! };
    if (!perStudent.some((k) => k >= 0)) return base;
    const perClass = perClassIfUniform(perStudent, studentClass, classes.length);
    return perClass ? { ...base, classTeacher: perClass } : { ...base, teacher: perStudent };
  });
  return { schools, classes, teachers, studentClass, subjects: subjectInputs };
}

/** The class → teacher map when every class has one teacher for its students; null when some class is split. */
function perClassIfUniform(perStudent: Int32Array, studentClass: Int32Array, classCount: number): Int32Array | null {
  const perClass = new Int32Array(classCount).fill(-2); // −2 = no student seen yet
  for (let i = 0; i < perStudent.length; i++) {
    const c = studentClass[i]!;
    const seen = perClass[c]!;
    if (seen === -2) perClass[c] = perStudent[i]!;
    else if (seen !== perStudent[i]) return null;
  }
  for (let c = 0; c < classCount; c++) if (perClass[c] === -2) perClass[c] = -1;
  return perClass;
}
