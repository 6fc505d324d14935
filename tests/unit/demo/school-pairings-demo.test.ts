import { describe, expect, it } from 'vitest';
import { pickSchoolPairs, type PairableSchool } from '../../../src/modules/demo/school-pairings-demo.js';
import { SCHOOL_TEMPLATES } from '../../../src/modules/demo/places.js';

const school = (id: number, kind: string, locationType: string, flags: string[] = []): PairableSchool => ({ id, name: `校${id}`, kind, locationType, flags });
const names = (pairs: ReturnType<typeof pickSchoolPairs>) => pairs.map((p) => `${p.helper.id}→${p.helped.id}`);

describe('pickSchoolPairs (the demo county\'s 校校结对)', () => {
  it('gives each urban school the neediest school of its stage: weak before mountain before rural, ties by id', () => {
    const pairs = pickSchoolPairs([
      school(1, '小学', '城区'),
      school(2, '初级中学', '城区'),
      school(3, '小学', '乡村'),
      school(4, '小学', '乡村', ['山区学校']),
      school(5, '初级中学', '镇区', ['薄弱学校']),
      school(6, '小学', '乡村', ['薄弱学校']),
      school(7, '初级中学', '乡村'),
    ]);
    expect(names(pairs)).toEqual(['1→6', '2→5']);
  });

  it('matches stages: 完全中学 helps a junior school, 九年一贯制 either; never a 教学点, a 镇区 school with no need, or across stages', () => {
    const pairs = pickSchoolPairs([
      school(1, '完全中学', '城区'),
      school(2, '九年一贯制学校', '城区'),
      school(3, '小学', '城区'),
      school(4, '教学点', '乡村', ['山区学校', '薄弱学校']),
      school(5, '小学', '乡村', ['山区学校']),
      school(6, '初级中学', '镇区'),
      school(7, '九年一贯制学校', '乡村'),
    ]);
    // 1 (junior) takes 7 (both stages, rural); 2 then takes 5; 3 finds nobody left
    expect(names(pairs)).toEqual(['1→7', '2→5']);
  });

  it('a weak urban school is helped, not a helper; one-to-one', () => {
    const pairs = pickSchoolPairs([
      school(1, '小学', '城区', ['薄弱学校']),
      school(2, '小学', '城区'),
      school(3, '小学', '城区'),
    ]);
    expect(names(pairs)).toEqual(['2→1']);
  });

  it('the default demo county gets one pair per urban school, each helped school once', () => {
    const schools = SCHOOL_TEMPLATES.slice(0, 30).map((t, i) => school(i + 1, t.kind, t.location, t.flags));
    const pairs = pickSchoolPairs(schools);
    expect(pairs).toHaveLength(schools.filter((s) => s.locationType === '城区').length);
    expect(new Set(pairs.map((p) => p.helped.id)).size).toBe(pairs.length);
  });
});
