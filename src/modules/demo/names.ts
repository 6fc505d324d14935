// Chinese personal names for the demo county: surnames weighted by their national frequency
// (per cent, rounded, from the 2020 census surname ranking), given names from the characters
// common in each generation, so the roster looks and searches like a real one (many 王, 李, 张;
// duplicate names; a few 欧阳 and 司马).
import { Rng, weighted } from './prng.js';

const SURNAMES: [string, number][] = [
  ['王', 7.25], ['李', 7.19], ['张', 6.9], ['刘', 5.4], ['陈', 4.6], ['杨', 3.1], ['黄', 2.2], ['赵', 2.0], ['吴', 2.0],
  ['周', 1.9], ['徐', 1.5], ['孙', 1.4], ['马', 1.3], ['朱', 1.2], ['胡', 1.1], ['郭', 1.1], ['何', 1.0], ['高', 1.0],
  ['林', 1.0], ['罗', 0.9], ['郑', 0.8], ['梁', 0.8], ['谢', 0.7], ['宋', 0.6], ['唐', 0.6], ['许', 0.6], ['韩', 0.5],
  ['冯', 0.5], ['邓', 0.5], ['曹', 0.5], ['彭', 0.5], ['曾', 0.5], ['肖', 0.5], ['田', 0.4], ['董', 0.4], ['袁', 0.4],
  ['潘', 0.4], ['于', 0.4], ['蒋', 0.4], ['蔡', 0.4], ['余', 0.4], ['杜', 0.4], ['叶', 0.4], ['程', 0.3], ['苏', 0.3],
  ['魏', 0.3], ['吕', 0.3], ['丁', 0.3], ['任', 0.3], ['沈', 0.3], ['姚', 0.3], ['卢', 0.3], ['姜', 0.3], ['崔', 0.2],
  ['钟', 0.2], ['谭', 0.2], ['陆', 0.2], ['汪', 0.2], ['范', 0.2], ['金', 0.2], ['石', 0.2], ['廖', 0.2], ['贾', 0.2],
  ['夏', 0.2], ['韦', 0.2], ['付', 0.2], ['方', 0.2], ['白', 0.2], ['邹', 0.2], ['孟', 0.2], ['熊', 0.2], ['秦', 0.2],
  ['邱', 0.2], ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['闫', 0.2], ['段', 0.2], ['雷', 0.2], ['侯', 0.2], ['龙', 0.2],
  ['史', 0.2], ['黎', 0.1], ['贺', 0.1], ['顾', 0.1], ['毛', 0.1], ['郝', 0.1], ['龚', 0.1], ['邵', 0.1], ['万', 0.1],
  ['钱', 0.1], ['严', 0.1], ['单', 0.05], ['欧阳', 0.04], ['司马', 0.01], ['诸葛', 0.01], ['上官', 0.01], ['皇甫', 0.01],
];

export const pickSurname = weighted(SURNAMES);

// Characters parents chose in each generation; a few appear for both sexes.
const CHILD_MALE = '子梓浩宇轩睿博泽俊杰涛晨豪航鑫磊阳然辰熙逸铭峰凯文明志嘉宏翔宸皓昊天一云思奕承锦煜朗彦霖瑞钰恒楷铭哲宁远诚锐烨乐安';
const CHILD_FEMALE = '欣怡梓涵雨萱诗琪佳悦思雅静婷妍可馨依语梦晴雪婉彤琳嘉紫若一楠瑶菲颖洁芷沫汐希玥桐昕蕊晗艺美心';
const ADULT_MALE = '建国军华平明伟强勇斌刚杰涛峰林波辉文志海新春红德永金东晓光荣亮成俊龙鹏飞超斌宏良卫兵';
const ADULT_FEMALE = '丽芳敏静燕霞红艳娟玲英梅萍华秀兰琴云芬丹慧婷洁莉晓春美凤玉翠琳娜雪';

function given(rng: Rng, pool: string, twoCharShare: number): string {
  const first = pool[rng.int(0, pool.length - 1)]!;
  if (!rng.chance(twoCharShare)) return first;
  let second = first;
  while (second === first) second = pool[rng.int(0, pool.length - 1)]!;
  return first + second;
}

/** A child's given name (born 2010s): mostly two characters. */
export function childGivenName(rng: Rng, sex: '1' | '2'): string {
  return given(rng, sex === '1' ? CHILD_MALE : CHILD_FEMALE, 0.85);
}

/** An adult's given name (born 1960s–1990s): one character more often. */
export function adultGivenName(rng: Rng, sex: '1' | '2'): string {
  return given(rng, sex === '1' ? ADULT_MALE : ADULT_FEMALE, 0.6);
}

export function adultName(rng: Rng, sex: '1' | '2', surname = pickSurname(rng)): string {
  return surname + adultGivenName(rng, sex);
}

/** An 11-digit mobile number with a real carrier prefix. */
export function mobilePhone(rng: Rng): string {
  const prefix = rng.pick(['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '186', '187', '188', '189', '191', '198', '199']);
  let rest = '';
  for (let i = 0; i < 8; i++) rest += String(rng.int(0, 9));
  return prefix + rest;
}
