// How staging rows travel to roster_import_staging: COPY text lines, on PostgreSQL and PGlite
// alike. No database code here, so a parse worker thread can load it cheaply.
// COPY text escaping is the one shared function of src/lib/copy-text.ts.
import { arrayLiteral, copyText } from '../../lib/copy-text.js';

export { copyText };

/**
 * One staging row as it travels to the database (in STAGING_COLUMNS order).
 * The 学籍号 travels sealed like the ID number. Only rows rejected while parsing carry their
 * original cells (sealed, for the errors file); valid rows carry none, and if the merge
 * rejects one, the errors file reads its cells from the file again. No plain ID number or
 * 学籍号 is ever staged.
 */
export type StagingTuple = [
  rowNo: number, status: string, reason: string | null, cellsEnc: string | null,
  schoolCode: string | null, schoolName: string | null, studentNoHash: string | null, studentNoEnc: string | null, studentNoMasked: string | null,
  idHash: string | null, idEnc: string | null, idMasked: string | null,
  name: string | null, namePinyin: string | null, nameInitials: string | null, sex: string | null, birthDate: string | null, ethnicity: string | null,
  address: string | null, guardians: unknown, grade: number | null, classNo: number | null, flagsOn: string[] | null, flagsOff: string[] | null,
  rowHash: string | null, contentHash: string | null,
];

/** The staging columns in StagingTuple order (after job_id). */
export const STAGING_COLUMNS = `row_no, status, reason, cells_enc, school_code, school_name, student_no_hash, student_no_enc, student_no_masked,
  id_hash, id_enc, id_masked,
  name, name_pinyin, name_initials, sex, birth_date, ethnicity, address, guardians, grade, class_no, flags_on, flags_off, row_hash, content_hash`;


/**
 * A batch of staging rows as COPY text lines: on PostgreSQL the server parses them far faster
 * than jsonb; PGlite reads them as the file '/dev/blob' (until 2026-12-02 it took ONE jsonb
 * parameter per batch, whose multi-MB JS strings piled up in the heap).
 */
export class StagingBatch {
  // each row is kept encoded (UTF-8 bytes at once; measured 6× faster than joining the lines
  // into one string and encoding that): one small object per row dies cheaply in the garbage
  // collector, where the arrays it came from would be promoted
  private parts: Buffer[] = [];
  /** the COPY text's first column, escaped once */
  private readonly jobCol: string;

  constructor(private readonly jobId = '') {
    this.jobCol = copyText(jobId) + '\t';
  }

  get size(): number {
    return this.parts.length;
  }

  pushRejected(rowNo: number, cellsEnc: Buffer, reason: string): void {
    const t: StagingTuple = [rowNo, 'rejected', reason, this.bytes(cellsEnc)!, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null];
    this.parts.push(Buffer.from(copyLine(this.jobId, t), 'utf8'));
  }

  pushValid(r: ValidStagingRow): void {
    this.parts.push(Buffer.from(this.jobCol + validCopyLine(r), 'utf8'));
  }

  /** bytea in COPY's hex form */
  private bytes(b: Buffer | null): string | null {
    return b ? '\\x' + b.toString('hex') : null;
  }

  /** the COPY text as UTF-8 */
  toCopy(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A valid row's staged values (see stage-rows.ts). */
export interface ValidStagingRow {
  rowNo: number; schoolCode: string | null; schoolName: string | null;
  studentNoHash: string | null; studentNoEnc: Buffer | null; studentNoMasked: string | null;
  idHash: string | null; idEnc: Buffer | null; idMasked: string | null; name: string; namePinyin: string; nameInitials: string;
  sex: string; birthDate: string | null; ethnicity: string | null; address: string | null; guardians: unknown;
  grade: number; classNo: number; flagsOn: string[]; flagsOff: string[]; rowHash: string; contentHash: string;
}

const hexBytea = (b: Buffer | null) => (b ? '\\\\x' + b.toString('hex') : '\\N');
/** values that cannot hold a tab, newline, carriage return or backslash (hashes, codes, masked IDs, dates, pinyin) */
const plain = (v: string | null) => (v == null ? '\\N' : v);

/**
 * A valid row's COPY line after the job column: the same text as copyLine, built in one
 * concatenation (no tuple, no join). Only the free-text values need escaping; the others are
 * produced by this program (hashes, hex, masked IDs, dates, codes, pinyin) and never hold a
 * COPY special character — a unit test compares the two.
 */
function validCopyLine(r: ValidStagingRow): string {
  return r.rowNo + '\tvalid\t\\N\t\\N\t' + copyText(r.schoolCode) + '\t' + copyText(r.schoolName) + '\t'
    + plain(r.studentNoHash) + '\t' + hexBytea(r.studentNoEnc) + '\t' + plain(r.studentNoMasked) + '\t'
    + plain(r.idHash) + '\t' + hexBytea(r.idEnc) + '\t' + plain(r.idMasked) + '\t'
    + copyText(r.name) + '\t' + plain(r.namePinyin) + '\t' + plain(r.nameInitials) + '\t' + plain(r.sex) + '\t'
    + plain(r.birthDate) + '\t' + plain(r.ethnicity) + '\t' + copyText(r.address) + '\t'
    + copyText(r.guardians == null ? null : JSON.stringify(r.guardians)) + '\t' + r.grade + '\t' + r.classNo + '\t'
    + copyText(arrayLiteral(r.flagsOn)) + '\t' + copyText(arrayLiteral(r.flagsOff)) + '\t' + plain(r.rowHash) + '\t' + plain(r.contentHash) + '\n';
}

/** One staging row as a COPY text line (the bytea columns already in hex form). */
export function copyLine(jobId: string, t: StagingTuple): string {
  const [rowNo, status, reason, cellsEnc, schoolCode, schoolName, studentNoHash, studentNoEnc, studentNoMasked, idHash, idEnc, idMasked, name, namePinyin, nameInitials, sex,
    birthDate, ethnicity, address, guardians, grade, classNo, flagsOn, flagsOff, rowHash, contentHash] = t;
  return [
    copyText(jobId), String(rowNo), copyText(status), copyText(reason), copyText(cellsEnc), copyText(schoolCode), copyText(schoolName),
    copyText(studentNoHash), copyText(studentNoEnc), copyText(studentNoMasked), copyText(idHash), copyText(idEnc), copyText(idMasked), copyText(name), copyText(namePinyin), copyText(nameInitials),
    copyText(sex), copyText(birthDate), copyText(ethnicity), copyText(address), copyText(guardians == null ? null : JSON.stringify(guardians)),
    grade == null ? '\\N' : String(grade), classNo == null ? '\\N' : String(classNo), copyText(arrayLiteral(flagsOn)), copyText(arrayLiteral(flagsOff)),
    copyText(rowHash), copyText(contentHash),
  ].join('\t') + '\n';
}
