// Vocabulary of the registry, shared by server, importer, demo generator and web.

export const SCHOOL_KINDS = ['小学', '初级中学', '九年一贯制学校', '教学点', '完全中学'] as const;
export type SchoolKind = (typeof SCHOOL_KINDS)[number];

export const LOCATION_TYPES = ['城区', '镇区', '乡村'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export const SCHOOL_FLAGS = ['薄弱学校', '山区学校', '寄宿制', '民族学校'] as const;

/** grades a kind of school teaches (九年一贯 numbering: 1–6 primary, 7–9 junior) */
export const GRADES_BY_KIND: Record<SchoolKind, number[]> = {
  小学: [1, 2, 3, 4, 5, 6],
  初级中学: [7, 8, 9],
  九年一贯制学校: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  教学点: [1, 2, 3],
  完全中学: [7, 8, 9],
};

/**
 * Grades a school of this kind may enrol at all: the whole stage it serves. Wider than
 * GRADES_BY_KIND (what the demo county builds): a 教学点 may keep a class up to grade 6.
 */
export const GRADES_ALLOWED_BY_KIND: Record<SchoolKind, number[]> = {
  小学: [1, 2, 3, 4, 5, 6],
  教学点: [1, 2, 3, 4, 5, 6],
  初级中学: [7, 8, 9],
  完全中学: [7, 8, 9],
  九年一贯制学校: [1, 2, 3, 4, 5, 6, 7, 8, 9],
};

export const GRADE_NAMES: Record<number, string> = {
  1: '一年级', 2: '二年级', 3: '三年级', 4: '四年级', 5: '五年级', 6: '六年级',
  7: '七年级', 8: '八年级', 9: '九年级',
};

export function className(grade: number, classNo: number): string {
  return `${GRADE_NAMES[grade] ?? `${grade}年级`}(${classNo})班`;
}

export const STUDENT_STATUSES = ['在读', '转出', '毕业', '休学', '辍学'] as const;

/** 家庭情况 flags. Sensitive: masked by default. */
export const FAMILY_FLAGS = {
  poverty_registered: '建档立卡/脱贫户',
  poverty_monitored: '防返贫监测对象',
  dibao: '低保',
  tekun: '特困供养',
  orphan: '孤儿',
  unattended: '事实无人抚养儿童',
  disabled: '残疾',
  single_parent: '单亲家庭',
  left_behind: '留守儿童',
  migrant: '随迁子女',
} as const;
export type FamilyFlag = keyof typeof FAMILY_FLAGS;

export const SEX_LABELS: Record<string, string> = { '1': '男', '2': '女', '0': '未知', '9': '未说明' };

export const SUBJECTS = ['语文', '数学', '英语', '物理', '化学', '道德与法治', '历史', '地理', '生物', '科学', '音乐', '体育', '美术', '信息技术', '心理健康'] as const;

export const TEACHER_TITLES = ['正高级教师', '高级教师', '一级教师', '二级教师', '三级教师', '未定级'] as const;
export const BACKBONE_LEVELS = ['无', '校级', '县级', '市级', '省级'] as const;

/** GB/T 3304 民族 codes */
export const ETHNICITIES: Record<string, string> = {
  '01': '汉族', '02': '蒙古族', '03': '回族', '04': '藏族', '05': '维吾尔族', '06': '苗族', '07': '彝族', '08': '壮族',
  '09': '布依族', '10': '朝鲜族', '11': '满族', '12': '侗族', '13': '瑶族', '14': '白族', '15': '土家族', '16': '哈尼族',
  '17': '哈萨克族', '18': '傣族', '19': '黎族', '20': '傈僳族', '21': '佤族', '22': '畲族', '23': '高山族', '24': '拉祜族',
  '25': '水族', '26': '东乡族', '27': '纳西族', '28': '景颇族', '29': '柯尔克孜族', '30': '土族', '31': '达斡尔族', '32': '仫佬族',
  '33': '羌族', '34': '布朗族', '35': '撒拉族', '36': '毛南族', '37': '仡佬族', '38': '锡伯族', '39': '阿昌族', '40': '普米族',
  '41': '塔吉克族', '42': '怒族', '43': '乌孜别克族', '44': '俄罗斯族', '45': '鄂温克族', '46': '德昂族', '47': '保安族', '48': '裕固族',
  '49': '京族', '50': '塔塔尔族', '51': '独龙族', '52': '鄂伦春族', '53': '赫哲族', '54': '门巴族', '55': '珞巴族', '56': '基诺族',
  '97': '其他', '98': '外国血统中国籍人士',
};
