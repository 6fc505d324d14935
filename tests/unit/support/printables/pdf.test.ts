// The PDF writer: A4 pages, the text readable back (fonts embedded with their ToUnicode maps),
// header and footer on every page, page breaks for long tables, subset fonts.
import { describe, expect, it } from 'vitest';
import { archiveDoc, handbookDoc } from '../../../../src/modules/support/printables/layout.js';
import { A4, renderPdf } from '../../../../src/modules/support/printables/pdf.js';
import { readPdf } from '../../../helpers/pdf-text.js';
import { caseFacts, record, student } from './fixtures.js';

describe('renderPdf', () => {
  it('an archive: A4, Chinese text readable back, footer with page numbers on every page', async () => {
    const bytes = await renderPdf(archiveDoc({ student: student(), case: caseFacts(), printedBy: '王芳', printedAt: '2026-12-02 16:00' }));
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const p = await readPdf(bytes);
    expect(p.title).toBe('学生帮扶档案');
    for (const [i, page] of p.pages.entries()) {
      expect([page.width, page.height]).toEqual([A4.width, A4.height]);
      expect(page.text).toContain('内部资料 注意保密');
      expect(page.text).toContain(`第 ${i + 1} 页 共 ${p.pages.length} 页`);
      expect(page.text).toContain('打印时间：2026-12-02 16:00');
      expect(page.text).toContain('城关一小');
    }
    expect(p.text).toContain('一元一次方程面批');
    expect(p.text).toContain('138****5678');
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    expect(bytes.length).toBeLessThan(150_000);
  }, 30_000);

  it('a long records table goes on over pages, its header repeated', async () => {
    const records = Array.from({ length: 120 }, (_, i) => record({ date: `2026-10-${String((i % 28) + 1).padStart(2, '0')}`, content: `第${i + 1}次辅导` }));
    const bytes = await renderPdf(handbookDoc({
      schoolName: '城关一小', teacher: { name: '王芳', phone: null, subjects: [], position: null, since: null, schoolName: '城关一小' }, schoolYear: '2026-2027',
      students: [{ student: student(), case: caseFacts({ records }) }], standing: null, printedBy: '王芳', printedAt: '2026-12-02 16:00',
    }));
    const p = await readPdf(bytes);
    expect(p.pages.length).toBeGreaterThan(4);
    expect(p.text).toContain('第120次辅导');
    const withHeader = p.pages.filter((pg) => /日期\s*方式\s*帮扶内容/.test(pg.text));
    expect(withHeader.length).toBeGreaterThan(2);
  }, 30_000);
});
