// `bangfu report aid`: the summary rows as CSV and JSON (yuan with fen beside the fen).
import { describe, expect, it } from 'vitest';
import { aidReportBytes } from '../../../src/modules/support/aid/aid-report.js';

const summary = {
  schoolYear: '2026-2027', students: 2, totalFen: 187550,
  rows: [
    { schoolId: 1, schoolName: '石门乡中心小学', itemKey: 'living_boarding', itemLabel: '义务教育家庭经济困难学生生活补助（寄宿生）', students: 2, grants: 3, totalFen: 150000 },
    { schoolId: 1, schoolName: '石门乡中心小学', itemKey: 'donation', itemLabel: '社会捐助/爱心捐助', students: 1, grants: 1, totalFen: 37550 },
  ],
};

describe('aid report', () => {
  it('CSV: a header and one line per school and item, amounts in yuan and fen', async () => {
    const csv = (await aidReportBytes(summary, 'csv')).toString('utf8').split('\n');
    expect(csv[0]).toBe('schoolYear,schoolName,itemKey,itemLabel,students,grants,amountYuan,totalFen');
    expect(csv[2]).toBe('2026-2027,石门乡中心小学,donation,社会捐助/爱心捐助,1,1,375.5,37550');
  });

  it('JSON: typed values; xlsx: a workbook', async () => {
    const json = JSON.parse((await aidReportBytes(summary, 'json')).toString('utf8'));
    expect(json[0]).toMatchObject({ itemKey: 'living_boarding', students: 2, grants: 3, amountYuan: 1500, totalFen: 150000 });
    expect((await aidReportBytes(summary, 'xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
