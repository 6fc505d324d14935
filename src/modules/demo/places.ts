// The geography of the demo county 示范县: its towns and villages, the schools in them,
// and the regions where children and teachers born outside the county come from.
import type { LocationType, SchoolKind } from '../../shared/registry.js';

export const COUNTY = {
  name: '示范县',
  bureauName: '示范县教育体育局',
  /** 行政区划代码: the ID-number prefix of most people born here */
  regionCode: '360428',
  /** 区号 of the landline numbers */
  areaCode: '0792',
} as const;

export interface Town {
  name: string;
  /** where the town's own (central) schools are */
  location: LocationType;
  mountain: boolean;
  villages: string[];
  /** streets of the town centre (the county seat has many) */
  streets: string[];
}

const t = (name: string, location: LocationType, mountain: boolean, villages: string, streets: string): Town => ({
  name, location, mountain, villages: villages.split(' '), streets: streets.split(' '),
});

export const TOWNS: Town[] = [
  t('城关镇', '城区', false, '城东村 城西村 南门村 北郊村', '人民路 解放路 建设路 滨江路 文化路 新华街 东门街 府前路 滨江花园 锦绣小区 阳光新城 书香苑'),
  t('白沙镇', '镇区', false, '白沙村 河口村 新塘村 沙湾村', '白沙街 沿河路'),
  t('青山镇', '镇区', false, '青山村 茶园村 下屋村 杨林村', '青山街 新街'),
  t('柳溪镇', '镇区', false, '柳溪村 横岗村 塘背村 新屋村', '柳溪街 老街'),
  t('桃源镇', '镇区', false, '桃源村 上洋村 西坑村 长垅村', '桃源街 中心街'),
  t('石门乡', '乡村', true, '石门村 坳上村 牛岭村 竹坑村', '石门街'),
  t('大塘乡', '乡村', false, '大塘村 竹山村 塘下村 洲头村', '大塘街'),
  t('枫林乡', '乡村', true, '枫林村 石坑村 高坑村 岭背村', '枫林街'),
  t('高岭乡', '乡村', true, '高岭村 上坪村 黄土岭村 老屋村', '高岭街'),
  t('龙泉乡', '乡村', false, '龙泉村 黄泥村 樟树村 田心村', '龙泉街'),
  t('黄坪乡', '乡村', true, '黄坪村 云岭村 畲家村 山口村', '黄坪街'),
];

/** Towns used only when a bigger county is asked for (more schools than the 30 hand-made ones). */
const EXTRA_TOWNS: [string, LocationType, boolean][] = [
  ['新田镇', '镇区', false], ['长岭乡', '乡村', true], ['古城镇', '镇区', false], ['马鞍乡', '乡村', true],
  ['洪源镇', '镇区', false], ['杨柳乡', '乡村', false], ['三溪乡', '乡村', true], ['梅岭镇', '镇区', false],
  ['东坑乡', '乡村', true], ['西河镇', '镇区', false], ['南塘乡', '乡村', false], ['北山乡', '乡村', true],
  ['金竹乡', '乡村', true], ['凤凰镇', '镇区', false], ['太平乡', '乡村', false], ['双港镇', '镇区', false],
  ['荷塘乡', '乡村', false], ['樟坪乡', '乡村', true], ['丰溪乡', '乡村', false], ['汪家乡', '乡村', true],
];
const VILLAGE_STEMS = '上屋 下屋 新屋 老屋 塘背 岭下 坑口 洲上 田垅 坳头 桥头 湾里 山背 石桥 枧头 畈上 松林 桐木 杉树 水口'.split(' ');

for (let i = 0; i < EXTRA_TOWNS.length; i++) {
  const [name, location, mountain] = EXTRA_TOWNS[i]!;
  const stem = name.slice(0, 2);
  // four villages per town, picked by a fixed stride so each town differs
  const villages = [`${stem}村`, ...[0, 1, 2].map((k) => `${VILLAGE_STEMS[(i * 7 + k * 5) % VILLAGE_STEMS.length]}村`)];
  TOWNS.push(t(name, location, mountain, villages.join(' '), `${stem}街`));
}

export function townNamed(name: string): Town {
  const town = TOWNS.find((x) => x.name === name);
  if (!town) throw new Error(`unknown demo town ${name}`);
  return town;
}

export interface SchoolTemplate {
  name: string;
  kind: SchoolKind;
  town: string;
  location: LocationType;
  flags: string[];
  /** nominal number of students at the default size (25,000); scaled to the requested size */
  weight: number;
  /** lower first: a small county takes the first few, so it still has every kind and location */
  priority: number;
}

const s = (priority: number, name: string, kind: SchoolKind, town: string, location: LocationType, weight: number, flags: string[] = []): SchoolTemplate =>
  ({ priority, name, kind, town, location, weight, flags });

/** The default county: about 30 schools of every kind, location and flag. */
const HAND_MADE: SchoolTemplate[] = [
  s(1, '示范县第一小学', '小学', '城关镇', '城区', 2400),
  s(9, '示范县第二小学', '小学', '城关镇', '城区', 2100),
  s(14, '示范县实验小学', '小学', '城关镇', '城区', 2200),
  s(2, '示范县第一中学', '初级中学', '城关镇', '城区', 2000),
  s(6, '示范县第二中学', '完全中学', '城关镇', '城区', 1500, ['寄宿制']),
  s(16, '示范县实验学校', '九年一贯制学校', '城关镇', '城区', 1800),
  s(11, '城关镇中心小学', '小学', '城关镇', '镇区', 900),
  s(3, '白沙九年一贯制学校', '九年一贯制学校', '白沙镇', '镇区', 1100, ['寄宿制']),
  s(7, '青山镇中心小学', '小学', '青山镇', '镇区', 800),
  s(12, '青山镇中学', '初级中学', '青山镇', '镇区', 800, ['寄宿制']),
  s(17, '柳溪镇中心小学', '小学', '柳溪镇', '镇区', 700),
  s(18, '柳溪镇中学', '初级中学', '柳溪镇', '镇区', 650, ['寄宿制']),
  s(19, '桃源镇中心小学', '小学', '桃源镇', '镇区', 600),
  s(20, '桃源镇中学', '初级中学', '桃源镇', '镇区', 550, ['寄宿制', '薄弱学校']),
  s(4, '石门乡中心小学', '小学', '石门乡', '乡村', 400, ['寄宿制', '山区学校']),
  s(8, '石门乡中学', '初级中学', '石门乡', '乡村', 420, ['寄宿制', '山区学校', '薄弱学校']),
  s(5, '石门乡坳上教学点', '教学点', '石门乡', '乡村', 25, ['山区学校']),
  s(10, '大塘乡中心小学', '小学', '大塘乡', '乡村', 380),
  s(21, '大塘乡中学', '初级中学', '大塘乡', '乡村', 400, ['寄宿制', '薄弱学校']),
  s(13, '大塘乡竹山小学', '小学', '大塘乡', '乡村', 150, ['薄弱学校']),
  s(22, '枫林乡中心小学', '小学', '枫林乡', '乡村', 300, ['山区学校']),
  s(23, '枫林乡中学', '初级中学', '枫林乡', '乡村', 350, ['寄宿制', '山区学校']),
  s(15, '枫林乡石坑教学点', '教学点', '枫林乡', '乡村', 20, ['山区学校']),
  s(24, '高岭乡中心小学', '小学', '高岭乡', '乡村', 320, ['寄宿制', '山区学校']),
  s(25, '高岭乡中学', '初级中学', '高岭乡', '乡村', 350, ['寄宿制', '山区学校', '薄弱学校']),
  s(26, '高岭乡上坪教学点', '教学点', '高岭乡', '乡村', 18, ['山区学校']),
  s(27, '龙泉乡中心小学', '小学', '龙泉乡', '乡村', 300),
  s(28, '龙泉乡黄泥小学', '小学', '龙泉乡', '乡村', 120, ['薄弱学校']),
  s(29, '黄坪乡民族小学', '小学', '黄坪乡', '乡村', 260, ['山区学校', '民族学校', '寄宿制']),
  s(30, '黄坪乡云岭教学点', '教学点', '黄坪乡', '乡村', 15, ['山区学校']),
];

/** More schools for bigger counties: four urban ones, then four per extra town. */
function extraTemplates(): SchoolTemplate[] {
  const out: SchoolTemplate[] = [];
  let p = 100;
  const urban: [string, SchoolKind, number][] = [
    ['示范县第三小学', '小学', 2000], ['示范县第三中学', '初级中学', 1800], ['示范县第四小学', '小学', 1900], ['示范县第四中学', '初级中学', 1600],
  ];
  for (const [name, kind, weight] of urban) out.push(s(p++, name, kind, '城关镇', '城区', weight));
  for (const town of TOWNS.slice(11)) {
    const rural = town.location === '乡村';
    const hill = town.mountain ? ['山区学校'] : [];
    const stem = town.name.slice(0, 2);
    out.push(s(p++, `${town.name}中心小学`, '小学', town.name, town.location, rural ? 330 : 650, [...hill, ...(rural ? ['寄宿制'] : [])]));
    out.push(s(p++, `${town.name}中学`, '初级中学', town.name, town.location, rural ? 380 : 600, ['寄宿制', ...hill]));
    out.push(s(p++, `${stem}${town.villages[1]!.replace(/村$/, '')}小学`, '小学', town.name, '乡村', 150, [...hill, '薄弱学校']));
    out.push(s(p++, `${town.name}${town.villages[2]!.replace(/村$/, '')}教学点`, '教学点', town.name, '乡村', 20, hill));
  }
  return out;
}

export const SCHOOL_TEMPLATES: SchoolTemplate[] = [...HAND_MADE, ...extraTemplates()];

/** How many schools a county of `students` has: 30 at 25,000, fewer but at least 4 below, more above. */
export function schoolCountFor(students: number): number {
  const n = Math.round(30 * Math.pow(students / 25_000, 0.6));
  return Math.max(4, Math.min(SCHOOL_TEMPLATES.length, n));
}

/** Regions in the same province (other counties of 九江 and beyond), for people born nearby. */
export const NEARBY_REGIONS = ['360402', '360403', '360423', '360424', '360425', '360426', '360429', '360430', '360481', '360102', '361102', '360502'];
/** Where migrant workers from the county went: children born there, or families moving in from there. */
export const FAR_REGIONS = ['440306', '441900', '440113', '330106', '330782', '350203', '320506', '310115', '421127', '340822', '430682'];
