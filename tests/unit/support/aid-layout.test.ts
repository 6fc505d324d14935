// The printables' 资助项目及受助情况 with the aid module's rows: items, amounts, a total; hidden for
// roles that may not see family-economy data.
import { describe, expect, it } from 'vitest';
import { aidBlock, type Block } from '../../../src/modules/support/printables/layout.js';
import { caseFacts, student } from './printables/fixtures.js';

const table = (blocks: Block[]) => blocks.find((b) => b.kind === 'table') as Extract<Block, { kind: 'table' }>;
const row = { standardNote: '初中 1250 元/学年', sourceLabel: '中央', methodLabel: '打卡发放', note: null };

describe('aid block', () => {
  it('prints each grant (term in the item), the amount in yuan, source and method, and a total row', () => {
    const blocks = aidBlock(student(), caseFacts({
      aid: {
        hidden: false,
        rows: [
          { ...row, itemLabel: '义务教育家庭经济困难学生生活补助（寄宿生）', term: 1, grantedOn: '2026-10-20', amountFen: 62500 },
          { ...row, itemLabel: '社会捐助/爱心捐助', term: null, grantedOn: '2026-11-05', amountFen: 50000, sourceLabel: '社会', methodLabel: '现金', note: '书包一个' },
        ],
      },
    }));
    const t = table(blocks);
    expect(t.columns.map((c) => c.label)).toContain('金额（元）');
    expect(t.rows[0]).toEqual(['义务教育家庭经济困难学生生活补助（寄宿生）（第一学期）', '初中 1250 元/学年', '2026-10-20', '625.00', '中央·打卡发放', '']);
    expect(t.rows[1]![4]).toBe('社会·现金（书包一个）');
    expect(t.rows[2]).toEqual(['合计（2 项）', '', '', '1,125.00', '', '']);
    expect(t.blankRows).toBe(2);
  });

  it('no grant yet: says so, with rows to fill by hand', () => {
    const t = table(aidBlock(student(), caseFacts({ aid: { hidden: false, rows: [] } })));
    expect(t.rows).toEqual([]);
    expect(t.empty).toContain('暂无受助记录');
  });

  it('hidden: no amounts, the note, and the hand-filled table as before', () => {
    const blocks = aidBlock(student(), caseFacts({ aid: { hidden: true, rows: [] } }));
    expect(blocks.some((b) => b.kind === 'paragraph' && b.text.includes('无权查看'))).toBe(true);
    expect(table(blocks).rows).toEqual([]);
    expect(table(blocks).columns.map((c) => c.label)).toContain('金额/数量');
  });
});
