// The shared report writers: CSV quoting and order, JSON, a readable .xlsx.
import { describe, expect, it } from 'vitest';
import { csvValue, toCsv, toJson, toXlsx } from '../../../src/lib/report-output.js';

describe('report output', () => {
  it('CSV: header order, empty for null, quotes only when needed, \\n line ends, no BOM', () => {
    expect(csvValue(null)).toBe('');
    expect(csvValue(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvValue('a,b')).toBe('"a,b"');
    expect(csvValue('说"好"')).toBe('"说""好"""');
    expect(csvValue('两\n行')).toBe('"两\n行"');
    expect(toCsv(['b', 'a'], [{ a: 1, b: '学校' }, { a: null, b: 'x,y' }])).toBe('b,a\n学校,1\n"x,y",\n');
    expect(toJson([{ a: 1 }])).toBe('[\n  {\n    "a": 1\n  }\n]\n');
  });

  it('xlsx: a title line, a header row, formatted cells', async () => {
    const buf = await toXlsx([{ name: '表:1', title: '标题', columns: [{ key: 'n', header: '名称' }, { key: 's', header: '状态', format: (v) => (v === 'short' ? '已无法完成' : String(v)) }], rows: [{ n: '李明', s: 'short' }] }]);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('表_1');
    expect([ws.getRow(1).getCell(1).value, ws.getRow(2).getCell(2).value, ws.getRow(3).getCell(1).value, ws.getRow(3).getCell(2).value]).toEqual(['标题', '状态', '李明', '已无法完成']);
  });
});
