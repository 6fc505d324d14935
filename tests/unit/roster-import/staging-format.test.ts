import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasRepeatedKey, identityKey } from '../../../src/modules/roster-import/stage-rows.js';
import { copyLine, StagingBatch, type StagingTuple, type ValidStagingRow } from '../../../src/modules/roster-import/staging-format.js';

const base: ValidStagingRow = {
  rowNo: 7, schoolCode: '3636000001', schoolName: '城关第一小学', studentNoHash: 'aB3_-x', studentNoEnc: Buffer.from([0, 1, 254, 255]), studentNoMasked: 'G360102********1234',
  idHash: 'Zz9-_q', idEnc: Buffer.from([16, 32]), idMasked: '360102********1234', name: '张伟', namePinyin: 'zhangwei', nameInitials: 'zw', sex: '1',
  birthDate: '2012-03-05', ethnicity: '01', address: '城关镇1号', guardians: [{ name: '张三', relation: '父亲', phone: '13900000000' }],
  grade: 7, classNo: 3, flagsOn: ['left_behind', 'poverty'], flagsOff: ['orphan'], rowHash: 'rh', contentHash: 'ch',
};

/** The row as the generic encoder sees it (bytea in COPY's hex form, unescaped). */
function tuple(r: ValidStagingRow): StagingTuple {
  const hex = (b: Buffer | null) => (b ? '\\x' + b.toString('hex') : null);
  return [r.rowNo, 'valid', null, null, r.schoolCode, r.schoolName, r.studentNoHash, hex(r.studentNoEnc), r.studentNoMasked, r.idHash, hex(r.idEnc), r.idMasked,
    r.name, r.namePinyin, r.nameInitials, r.sex, r.birthDate, r.ethnicity, r.address, r.guardians, r.grade, r.classNo, r.flagsOn, r.flagsOff, r.rowHash, r.contentHash];
}

describe('StagingBatch COPY text', () => {
  const cases: [string, ValidStagingRow][] = [
    ['an ordinary row', base],
    ['nulls everywhere they are allowed', { ...base, schoolCode: null, studentNoHash: null, studentNoEnc: null, studentNoMasked: null, birthDate: null, ethnicity: null, address: null, guardians: null, flagsOn: [], flagsOff: [] }],
    ['free text with COPY special characters', { ...base, schoolName: 'a\tb\\c', name: '王\\五', address: '第一行\n第二行\r\\N', guardians: [{ name: 'say "hi"\t', relation: null, phone: null }] }],
  ];
  for (const [what, r] of cases) {
    it(`encodes ${what} exactly like the generic encoder`, () => {
      const b = new StagingBatch('job-1');
      b.pushValid(r);
      expect(b.toCopy().toString('utf8')).toBe(copyLine('job-1', tuple(r)));
    });
  }

  it('escapes the job id once and joins rows, one line each', () => {
    const b = new StagingBatch('j\tx');
    b.pushValid(base);
    b.pushRejected(9, Buffer.from([1, 2]), '原因\t一');
    const lines = b.toCopy().toString('utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.startsWith('j\\tx\t7\tvalid\t')).toBe(true);
    // (as before: a rejected row's flag arrays travel empty, the rest NULL)
    expect(lines[1]).toBe('j\\tx\t9\trejected\t原因\\t一\t\\\\x0102' + '\t\\N'.repeat(18) + '\t{}\t{}' + '\t\\N'.repeat(2));
    expect(lines[2]).toBe('');
    expect(b.size).toBe(2);
  });
});

describe('identity keys (whether the in-file checks must run)', () => {
  const h = (s: string) => crypto.hash('sha256', s, 'base64url');
  it('are equal for equal hashes, and differ between an ID number and a 学籍号 with the same hash', () => {
    expect(identityKey(h('a'), false)).toBe(identityKey(h('a'), false));
    expect(identityKey(h('a'), false)).not.toBe(identityKey(h('b'), false));
    expect(identityKey(h('a'), true)).not.toBe(identityKey(h('a'), false));
    expect(Number.isSafeInteger(identityKey('________', true))).toBe(true);
  });

  it('finds a repeated key anywhere in a batch', () => {
    const keys = (xs: [string, boolean][]) => Float64Array.from(xs.map(([s, no]) => identityKey(h(s), no)));
    expect(hasRepeatedKey(keys([['a', false], ['b', false], ['a', true], ['b', true]]))).toBe(false);
    expect(hasRepeatedKey(keys([['a', false], ['b', false], ['c', true], ['b', false]]))).toBe(true);
    expect(hasRepeatedKey(new Float64Array(0))).toBe(false);
  });
});
