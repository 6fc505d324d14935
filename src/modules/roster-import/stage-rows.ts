// One batch of file rows → staging rows: each row checked (row-validate), its ID and 学籍号
// sealed, pinyin keys and row hashes computed, and the batch encoded for the database (COPY
// text). Pure CPU work with no database access, so it runs the same on the main
// thread and in the parse worker threads (parse-worker.ts): both call createRowStager.
import crypto from 'node:crypto';
import { nameKeys } from '../../lib/name-search.js';
import { countIdCell, idProblemMessage, type IdColumnCounts } from '../../shared/id-number.js';
import type { IdSealer } from '../privacy/sealed-ids.js';
import type { ColumnMap, SheetRow } from './header-detection.js';
import { checkRow } from './row-validate.js';
import { StagingBatch } from './staging-format.js';

/** Distinct names whose pinyin keys are remembered during one parse (~100 bytes each). */
const NAME_KEYS_CACHE = 100_000;

export interface StagerOptions {
  columns: ColumnMap;
  defaultSchoolCode: string | null;
  /** 'today' for the date checks, as epoch ms (the same for every batch of an import) */
  today: number;
  jobId: string;
}

/** A batch ready for staging: COPY text as UTF-8 bytes. */
export interface StagedChunk {
  copy: Buffer;
  /** staging rows in it */
  staged: number;
  /** rows of the file that are data (not skipped as blank or a note) */
  dataRows: number;
  /** of them, rejected (staged with their reasons) */
  rejected: number;
  /**
   * The valid rows' identifier keys (see identityKey): when no key occurs twice in the whole
   * file, no row can repeat or contradict another, and the in-file checks in SQL are skipped.
   */
  keys: Float64Array;
  /** the ID cells, for the whole-file rule on IDs Excel stored as numbers (idColumnStoredAsNumbers) */
  ids: IdColumnCounts;
  /**
   * Rows whose ID ends in 000 and passed its checks, in file order, with the reasons they get if
   * the file turns out to hold its IDs as Excel numbers (the row checked again with
   * idColumnAsNumbers); `valid` of them were staged as valid (the others are rejected already,
   * for other reasons, which the new ones replace). In a genuine file about one row in 1,100.
   */
  zeroIds: ZeroIdRows;
}

export interface ZeroIdRows {
  rowNos: number[];
  reasons: string[];
  valid: number;
}

const sha = (s: string) => crypto.hash('sha256', s, 'base64url');

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_VALUE = new Uint8Array(128);
for (let i = 0; i < 64; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

/**
 * A number standing for a keyed hash (its first 48 bits), even for an ID number's, odd for a
 * 学籍号's. Two equal hashes give equal keys; two different ones almost never do (200,000
 * rows: odds ~1 in 10,000 per file), and then the exact checks in SQL simply run.
 */
export function identityKey(hash: string, studentNo: boolean): number {
  let v = 0;
  for (let i = 0; i < 8; i++) v = v * 64 + B64URL_VALUE[hash.charCodeAt(i) & 127]!;
  return v * 2 + (studentNo ? 1 : 0);
}

/** True when some key occurs twice (the keys are sorted in place). */
export function hasRepeatedKey(keys: Float64Array): boolean {
  keys.sort();
  for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) return true;
  return false;
}

export function createRowStager(sealer: IdSealer, o: StagerOptions): (rows: SheetRow[]) => StagedChunk {
  const today = new Date(o.today);
  // names repeat a lot in a county (and pinyin conversion is a costly step of a row): convert
  // each distinct name once; the cap bounds memory for files of all-distinct names
  const keysByName = new Map<string, { pinyin: string; initials: string }>();
  const keysOf = (name: string) => {
    let k = keysByName.get(name);
    if (!k) {
      k = nameKeys(name);
      if (keysByName.size < NAME_KEYS_CACHE) keysByName.set(name, k);
    }
    return k;
  };

  return (rows) => {
    const batch = new StagingBatch(o.jobId);
    const keys = new Float64Array(rows.length * 2);
    let nKeys = 0;
    let dataRows = 0;
    let rejected = 0;
    const ids: IdColumnCounts = { withId: 0, zerosValid: 0, zerosInvalid: 0 };
    const zeroIds: ZeroIdRows = { rowNos: [], reasons: [], valid: 0 };
    for (const r of rows) {
      const check = checkRow(r.cells, o.columns, { defaultSchoolCode: o.defaultSchoolCode, today });
      if (check.kind === 'skip') continue;
      dataRows++;
      countIdCell(ids, check.idCell);
      if (check.idCell === 'zeros-valid') {
        // what the row's reasons would be were its ID truncated (rare rows: checked twice)
        const asNumber = checkRow(r.cells, o.columns, { defaultSchoolCode: o.defaultSchoolCode, today, idColumnAsNumbers: true });
        zeroIds.rowNos.push(r.rowNo);
        zeroIds.reasons.push(asNumber.kind === 'rejected' ? asNumber.reasons.join('；') : idProblemMessage('scientific'));
        if (check.kind === 'ok') zeroIds.valid++;
      }
      if (check.kind === 'rejected') {
        rejected++;
        batch.pushRejected(r.rowNo, sealer.seal(JSON.stringify(r.cells)), check.reasons.join('；'));
        continue;
      }
      const v = check.row;
      const sealed = v.idNumber ? sealer.sealAll(v.idNumber) : null;
      const sealedNo = v.studentNo ? sealer.sealStudentNo(v.studentNo) : null;
      if (sealed) keys[nKeys++] = identityKey(sealed.hash, false);
      if (sealedNo) keys[nKeys++] = identityKey(sealedNo.hash, true);
      const py = keysOf(v.name);
      // the student's own fields (school and class are compared in SQL)
      const rowHash = sha(JSON.stringify([sealedNo?.hash ?? null, sealed?.hash ?? null, v.name, v.sex, v.birthDate, v.ethnicity, v.address, v.guardians, v.flagsOn, v.flagsOff]));
      batch.pushValid({
        rowNo: r.rowNo,
        schoolCode: v.schoolCode,
        schoolName: v.schoolName,
        studentNoHash: sealedNo?.hash ?? null,
        studentNoEnc: sealedNo?.enc ?? null,
        studentNoMasked: sealedNo?.masked ?? null,
        idHash: sealed?.hash ?? null,
        idEnc: sealed?.enc ?? null,
        idMasked: sealed?.masked ?? null,
        name: v.name,
        namePinyin: py.pinyin,
        nameInitials: py.initials,
        sex: v.sex,
        birthDate: v.birthDate,
        ethnicity: v.ethnicity,
        address: v.address,
        guardians: v.guardians,
        grade: v.grade,
        classNo: v.classNo,
        flagsOn: v.flagsOn,
        flagsOff: v.flagsOff,
        rowHash,
        contentHash: sha(JSON.stringify([rowHash, v.schoolCode, v.schoolName, v.grade, v.classNo])),
      });
    }
    return {
      copy: batch.toCopy(),
      staged: batch.size,
      dataRows,
      rejected,
      keys: keys.slice(0, nKeys),
      ids,
      zeroIds,
    };
  };
}
