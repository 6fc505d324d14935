// `bangfu demo [--students N] [--seed S] [--force]`: loads the demo county and prints one login per role.
import { createContext } from '../../server/bootstrap.js';
import { AppError } from '../../server/errors.js';
import { ROLE_INFO, type Role } from '../../shared/roles.js';
import { loadFullDemo, type DemoStep } from './demo.service.js';
import { fenToYuanText } from '../support/aid/money.js';
import { SUPPORT_CATEGORY_LABELS, type SupportCategory } from '../support/support.schemas.js';

const STEP_LABEL: Record<DemoStep, string> = { county: '县域（学校、教师、学生）', exams: '全县统考（导入并分析）', support: '帮扶数据（帮扶对象、结对、记录）', finish: '统计信息' };

/** Display width in a terminal: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export function formatTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => padEnd(c, widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function positiveInt(value: string, what: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new AppError(400, 'BAD_OPTION', `${what}应为 1–${max} 之间的整数（收到：${value}）`);
  return n;
}

export async function demoCommand(opts: { students: string; seed: string; force?: boolean; exams?: boolean; support?: boolean }): Promise<void> {
  let ctx: Awaited<ReturnType<typeof createContext>> | undefined;
  try {
    const students = positiveInt(opts.students, '学生人数 --students ', 1_000_000);
    const seed = positiveInt(opts.seed, '随机种子 --seed ', 2 ** 31 - 1);
    ctx = await createContext();
    console.log(`正在生成演示县（${students.toLocaleString('zh-CN')} 名学生，种子 ${seed}）…`);
    let step: DemoStep | null = null;
    const result = await loadFullDemo(ctx, {
      students, seed, force: !!opts.force, exams: opts.exams !== false, support: opts.support !== false,
      // one line per step on stderr (the summary below goes to stdout)
      onProgress: (p) => {
        if (p.step !== step) console.error(`  [${String(p.percent).padStart(3)}%] ${STEP_LABEL[(step = p.step)]}…`);
      },
    });
    const c = result.counts;
    console.log(`已载入 ${result.schoolYear} 学年：${c.schools} 所学校、${c.classes} 个班、${c.teachers} 名教师、${c.students} 名学生（家庭情况标记 ${c.familyFlags} 条），用时 ${result.seconds.toFixed(1)} 秒。`);
    if (result.exams) {
      const e = result.exams.exams;
      const rejected = e.reduce((a, x) => a + x.rejected, 0);
      console.log(`已导入并分析 ${e.length} 场全县统考（七至九年级，${e.reduce((a, x) => a + x.rows, 0)} 行成绩${rejected ? `，其中 ${rejected} 行错误示例未导入` : ''}），用时 ${result.exams.seconds.toFixed(1)} 秒：`);
      for (const x of e) console.log(`  ${x.name}（${x.rows} 行，未匹配 ${x.unmatched} 行${x.rejected ? `，未导入 ${x.rejected} 行` : ''}）`);
    }
    if (result.support) {
      const s = result.support;
      const cat = Object.entries(s.byCategory).map(([k, n]) => `${SUPPORT_CATEGORY_LABELS[k as SupportCategory] ?? k} ${n}`).join('，');
      console.log(`已生成帮扶数据：${s.cases} 个帮扶对象（${cat}），${s.pairings} 个师生结对（${s.withoutTeacher} 人待分配教师），${s.peers} 个生生结对，${s.records} 条帮扶记录（退回 ${s.returned} 条），用时 ${s.seconds.toFixed(1)} 秒。`);
    }
    if (result.aid) {
      const a = result.aid;
      console.log(`已生成资助记录：${a.students} 名贫困生 ${a.grants} 笔，合计 ${fenToYuanText(a.totalFen)} 元，用时 ${a.seconds.toFixed(1)} 秒。`);
    }
    if (result.schoolPairings && result.schoolPairings.pairings.length > 0) {
      const sp = result.schoolPairings.pairings;
      console.log(`已建立 ${sp.length} 对校校结对：${sp.map((p) => `${p.helper}→${p.helped}`).join('，')}。`);
    }
    console.log(`数据库：${ctx.database.kind === 'pglite' ? `PGlite（${ctx.config.dataDir}）` : 'PostgreSQL'}\n`);
    const table = formatTable(
      ['角色', '用户名', '密码', '学校'],
      result.accounts.map((a) => [
        ROLE_INFO[a.role as Role]?.label ?? a.role,
        a.username,
        a.password,
        a.schoolCode ? `${result.demoSchool.name}（${a.schoolCode}）` : '全县',
      ]),
    );
    console.log(table);
    console.log(`\n以上账号已保存到 ${result.accountsFile}（请妥善保管，勿在正式环境使用演示数据）。`);
    console.log(`启动服务：npm start，然后打开 http://localhost:${ctx.config.port}`);
    await ctx.database.close();
    process.exit(0);
  } catch (err) {
    await ctx?.database.close().catch(() => undefined);
    console.error(err instanceof AppError ? `错误：${err.message}` : err);
    process.exit(1);
  }
}
