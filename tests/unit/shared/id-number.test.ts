// GB 11643 居民身份证号码. Expected check characters were computed independently
// (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2).
import { describe, expect, it } from 'vitest';
import {
  countIdCell,
  endsLikeExcelNumber,
  idCellOf,
  idCheckChar,
  idColumnStoredAsNumbers,
  idProblemMessage,
  makeIdNumber,
  maskIdNumber,
  normalizeIdNumber,
  parseIdNumber,
  type IdProblem,
} from '../../../src/shared/id-number.js';

const problemOf = (raw: string | null | undefined, today?: Date) => {
  const r = parseIdNumber(raw, today);
  return r.ok ? 'ok' : r.problem;
};
const valueOf = (raw: string) => {
  const r = parseIdNumber(raw);
  if (!r.ok) throw new Error(`expected ${raw} to be valid, got ${r.problem}`);
  return r.value;
};

describe('check character', () => {
  it.each([
    ['11010519491231002', 'X'], // the example in GB 11643-1999
    ['44052419520101001', '4'],
    ['36010220000101123', '5'],
    ['36042820130211003', '9'],
    ['36042820000229001', '0'],
  ])('%s → %s', (first17, check) => {
    expect(idCheckChar(first17)).toBe(check);
  });
});

describe('parseIdNumber on real-world forms', () => {
  it('accepts a valid number and decodes birth date, sex and region', () => {
    expect(valueOf('11010519491231002X')).toEqual({
      id: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: '2', // 17th digit 2: even → female
      regionCode: '110105',
      upgradedFrom15: false,
    });
    expect(valueOf('440524195201010014')).toMatchObject({ birthDate: '1952-01-01', sex: '1' });
  });

  it('accepts a lowercase x and returns it upper-cased', () => {
    expect(valueOf('11010519491231002x').id).toBe('11010519491231002X');
  });

  it('accepts full-width digits and letters (IME input)', () => {
    expect(valueOf('１１０１０５１９４９１２３１００２Ｘ').id).toBe('11010519491231002X');
    expect(valueOf('１１０１０５１９４９１２３１００２ｘ').id).toBe('11010519491231002X');
  });

  it('ignores spaces, ideographic spaces, no-break spaces and the leading apostrophe Excel uses for text', () => {
    expect(valueOf(' 110105 19491231 002X ').id).toBe('11010519491231002X');
    expect(valueOf('110105\u300019491231\u00a0002X').id).toBe('11010519491231002X');
    expect(valueOf("'11010519491231002X").id).toBe('11010519491231002X');
    expect(valueOf('\t11010519491231002X\n').id).toBe('11010519491231002X');
  });

  it('upgrades an old 15-digit number (century 19, recomputed check character)', () => {
    expect(valueOf('130503670401001')).toEqual({
      id: '130503196704010016',
      birthDate: '1967-04-01',
      sex: '1',
      regionCode: '130503',
      upgradedFrom15: true,
    });
  });

  it('rejects a 15-digit number whose date is impossible', () => {
    expect(problemOf('130503670230001')).toBe('birthdate');
  });
});

describe('Excel number damage is detected, never guessed', () => {
  it.each([
    '3.60102E+17',
    '3.60102e+17',
    '3.60102E17',
    '3.60102200001011E+17',
    '３．６０１０２Ｅ＋１７', // full-width, as some WPS exports show it
    '360102200001011235.0',
  ])('%s → scientific', (raw) => {
    expect(problemOf(raw)).toBe('scientific');
  });

  it('reads an 18-digit number ending in 000 with a wrong check character as truncated by Excel', () => {
    // 360102200001011235 stored as a float keeps 15 significant digits: 360102200001011000
    expect(problemOf('360102200001011000')).toBe('scientific');
    expect(problemOf('110105194912310000')).toBe('scientific');
  });

  it('explains the scientific problem in Chinese and tells the user what to do', () => {
    const msg = idProblemMessage('scientific');
    expect(msg).toContain('科学计数法');
    expect(msg).toContain('文本');
  });
});

describe('invalid numbers', () => {
  it('finds a wrong check character', () => {
    expect(problemOf('360102200001011234')).toBe('checksum');
    expect(problemOf('11010519491231002Y')).toBe('format');
    expect(problemOf('110105194912310021')).toBe('checksum');
  });

  it('finds two neighbouring digits typed the wrong way round', () => {
    expect(problemOf('360102200001011235')).toBe('ok');
    expect(problemOf('360102200001012135')).toBe('checksum'); // …1235 → …2135
    expect(problemOf('360120200001011235')).toBe('checksum'); // 360102 → 360120
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['\u3000', 'empty'],
    ['36010220000101123', 'format'], // 17 digits
    ['3601022000010112356', 'format'], // 19 digits
    ['36010220000101123A', 'format'],
    ['身份证号', 'format'],
    ['010102200001011235', 'region'], // a region code cannot start with 0
  ] as [string, IdProblem][])('%j → %s', (raw, problem) => {
    expect(problemOf(raw)).toBe(problem);
  });

  it('treats null and undefined as empty', () => {
    expect(problemOf(null)).toBe('empty');
    expect(problemOf(undefined)).toBe('empty');
  });

  it('checks the birth date: 29 February only in leap years', () => {
    expect(problemOf('360428200002290010')).toBe('ok'); // 2000 is a leap year
    expect(problemOf('360428200102290018')).toBe('birthdate'); // 2001 is not
    expect(problemOf('360428190002290014')).toBe('birthdate'); // 1900 is not (divisible by 100, not 400)
    expect(problemOf('360428200002280023')).toBe('ok');
  });

  it.each([
    ['month 13', '36042820001301001'],
    ['month 00', '36042820000001001'],
    ['day 32', '36042820000132001'],
    ['day 00', '36042820000100001'],
    ['30 February', '36042820000230001'],
    ['31 April', '36042820000431001'],
    ['year 1899', '36042818991231001'],
  ])('rejects %s', (_label, first17) => {
    expect(problemOf(first17 + idCheckChar(first17))).toBe('birthdate');
  });

  it('rejects a birth date in the future', () => {
    const today = new Date(Date.UTC(2026, 0, 1));
    const born2027 = makeIdNumber('360428', '2027-01-01', 11, '1');
    expect(problemOf(born2027, today)).toBe('birthdate');
    expect(problemOf(born2027, new Date(Date.UTC(2027, 5, 1)))).toBe('ok');
  });

  it('has a Chinese message for every problem', () => {
    const problems: IdProblem[] = ['empty', 'scientific', 'format', 'region', 'birthdate', 'checksum'];
    for (const p of problems) expect(idProblemMessage(p)).toMatch(/身份证号/);
    expect(idProblemMessage('checksum')).toContain('校验位');
    expect(idProblemMessage('birthdate')).toContain('出生日期');
  });
});

describe('sex from the 17th digit', () => {
  it('odd is male (1), even is female (2)', () => {
    for (let seq = 0; seq < 40; seq++) {
      const male = makeIdNumber('360428', '2012-05-06', seq, '1');
      const female = makeIdNumber('360428', '2012-05-06', seq, '2');
      expect(Number(male[16]) % 2).toBe(1);
      expect(Number(female[16]) % 2).toBe(0);
      expect(valueOf(male).sex).toBe('1');
      expect(valueOf(female).sex).toBe('2');
    }
  });
});

describe('makeIdNumber', () => {
  it('builds valid numbers that decode to what went in', () => {
    const id = makeIdNumber('360102', '2013-09-01', 123, '1');
    expect(id).toMatch(/^360102201309011\d{2}[\dX]$/);
    expect(valueOf(id)).toMatchObject({ id, birthDate: '2013-09-01', sex: '1', regionCode: '360102' });
  });
});

describe('normalizeIdNumber', () => {
  it('normalizes without validating', () => {
    expect(normalizeIdNumber(' １２３ x ')).toBe('123X');
  });
});

describe('maskIdNumber', () => {
  it('keeps the region and the last four, hides the birth date', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('11010519491231002X')).not.toContain('19491231');
    expect(maskIdNumber('11010519491231002X')).toHaveLength(18);
  });
  it('hides short values entirely', () => {
    expect(maskIdNumber('123456')).toBe('******');
  });
});

describe('IDs Excel stored as numbers: the whole-file rule', () => {
  /** The counts the roster import keeps for a file's ID cells (stage-rows.ts, row-validate.ts). */
  const countsOf = (cells: string[]) => {
    const c = { withId: 0, zerosValid: 0, zerosInvalid: 0 };
    for (const raw of cells) countIdCell(c, idCellOf(raw, parseIdNumber(raw, new Date('2026-11-23T00:00:00Z'))));
    return c;
  };
  /** n distinct genuine IDs (deterministic), of which those ending in 000 occur as by chance */
  const genuine = (n: number, start = 0) =>
    Array.from({ length: n }, (_, k) => {
      const i = start + k;
      const date = new Date(Date.UTC(2012, 0, 1 + (i % 365))).toISOString().slice(0, 10);
      return makeIdNumber('360102', date, Math.floor(i / 365) % 1000, i % 2 ? '1' : '2');
    });
  const truncated = (id: string) => id.slice(0, 15) + '000';

  it('idCellOf: a valid or invalid ID ending in 000, anything else; a 15-digit ID is never Excel\'s', () => {
    const today = new Date('2026-11-23T00:00:00Z');
    const cell = (raw: string) => idCellOf(raw, parseIdNumber(raw, today));
    const [zero] = genuine(20_000).filter((id) => id.endsWith('000'));
    expect(cell(zero!)).toBe('zeros-valid');
    expect(cell(` ${zero!.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))} `)).toBe('zeros-valid'); // full-width, spaces
    const failing = genuine(50).map(truncated).find((id) => !parseIdNumber(id, today).ok)!;
    expect(cell(failing)).toBe('zeros-invalid');
    expect(cell(genuine(50).find((id) => !id.endsWith('000'))!)).toBe('other');
    expect(cell('3.60102E+17')).toBe('other');
    expect(cell('abc')).toBe('other');
    // 15 digits ending in 000: its check character is computed on upgrade, never Excel's loss
    const fifteen = '360102120305000';
    expect(parseIdNumber(fifteen, today).ok).toBe(true);
    expect(cell(fifteen)).toBe('other');
    const c = { withId: 0, zerosValid: 0, zerosInvalid: 0 };
    for (const k of ['none', 'other', 'zeros-valid', 'zeros-invalid', 'zeros-invalid'] as const) countIdCell(c, k);
    expect(c).toEqual({ withId: 4, zerosValid: 1, zerosInvalid: 2 });
  });

  it('endsLikeExcelNumber: 18 digits ending in 000 only', () => {
    expect(endsLikeExcelNumber('360102201203051000')).toBe(true);
    expect(endsLikeExcelNumber('360102201203051001')).toBe(false);
    expect(endsLikeExcelNumber('36010220120305100X')).toBe(false);
    expect(endsLikeExcelNumber('3601022012030510000')).toBe(false);
    expect(endsLikeExcelNumber('360102120305000')).toBe(false); // 15 digits
    expect(endsLikeExcelNumber('3.60102E+17')).toBe(false);
  });

  it('says yes for a column truncated by Excel, whatever share of checksums pass by chance', () => {
    expect(idColumnStoredAsNumbers({ withId: 20, zerosValid: 2, zerosInvalid: 18 })).toBe(true);
    expect(idColumnStoredAsNumbers({ withId: 3, zerosValid: 1, zerosInvalid: 2 })).toBe(true);
    // ~1 in 11 of a real column ends in X and stays text; 15-digit IDs too
    expect(idColumnStoredAsNumbers({ withId: 200_000, zerosValid: 16_500, zerosInvalid: 165_000 })).toBe(true);
    const ids = genuine(2000).map((id) => (id.endsWith('X') ? id : truncated(id)));
    const c = countsOf(ids);
    expect(c.zerosValid).toBeGreaterThan(0); // some truncated IDs pass their checksum
    expect(idColumnStoredAsNumbers(c)).toBe(true);
  });

  it('says no for genuine IDs ending in 000, however many: they never fail their checks', () => {
    const ids = genuine(20_000);
    const c = countsOf(ids);
    expect(c.zerosInvalid).toBe(0);
    expect(c.zerosValid).toBeGreaterThan(0);
    expect(idColumnStoredAsNumbers(c)).toBe(false);
    expect(idColumnStoredAsNumbers({ withId: 300, zerosValid: 3, zerosInvalid: 0 })).toBe(false);
    expect(idColumnStoredAsNumbers({ withId: 50, zerosValid: 50, zerosInvalid: 0 })).toBe(false);
  });

  it('needs at least 3 such IDs', () => {
    expect(idColumnStoredAsNumbers({ withId: 2, zerosValid: 0, zerosInvalid: 2 })).toBe(false);
    expect(idColumnStoredAsNumbers({ withId: 2, zerosValid: 1, zerosInvalid: 1 })).toBe(false);
    expect(idColumnStoredAsNumbers({ withId: 0, zerosValid: 0, zerosInvalid: 0 })).toBe(false);
  });

  it('needs more than 1% of the rows with an ID: far above the ~0.09% of genuine IDs', () => {
    expect(idColumnStoredAsNumbers({ withId: 1000, zerosValid: 1, zerosInvalid: 9 })).toBe(false); // exactly 1%
    expect(idColumnStoredAsNumbers({ withId: 1000, zerosValid: 1, zerosInvalid: 10 })).toBe(true);
    // a few rows pasted as numbers into a big file: those fail per row, the rest stands
    expect(idColumnStoredAsNumbers({ withId: 200_000, zerosValid: 182 + 18, zerosInvalid: 182 })).toBe(false);
  });

  it('needs at least half of them to fail their checks', () => {
    expect(idColumnStoredAsNumbers({ withId: 100, zerosValid: 3, zerosInvalid: 3 })).toBe(true);
    expect(idColumnStoredAsNumbers({ withId: 100, zerosValid: 4, zerosInvalid: 3 })).toBe(false);
  });
});
