// Each command loads its own code when it runs: an import or the demo loader need not
// pull in the web server (and its memory) just to start.
import { Command } from 'commander';

const program = new Command('bangfu').description('帮扶 — 教育结对帮扶平台');

program
  .command('serve')
  .description('启动 Web 服务（默认 http://localhost:3000）')
  .option('--port <port>', '端口（也可用环境变量 PORT）')
  .option('--host <host>', '监听地址（也可用环境变量 HOST）')
  .action(async (opts: { port?: string; host?: string }) => {
    const { createContext } = await import('../server/bootstrap.js');
    const { buildApp } = await import('../server/app.js');
    const ctx = await createContext({
      ...(opts.port ? { port: Number(opts.port) } : {}),
      ...(opts.host ? { host: opts.host } : {}),
    });
    const app = await buildApp(ctx, { logger: process.env.BANGFU_LOG !== '0' });
    const close = async () => {
      await app.close();
      await ctx.database.close();
      process.exit(0);
    };
    process.on('SIGINT', close);
    process.on('SIGTERM', close);
    await app.listen({ port: ctx.config.port, host: ctx.config.host });
    const shown = ctx.config.host === '0.0.0.0' ? 'localhost' : ctx.config.host;
    console.log(`bangfu 已启动: http://${shown}:${ctx.config.port}  （数据库: ${ctx.database.kind === 'pglite' ? `PGlite ${ctx.config.dataDir}` : 'PostgreSQL'}）`);
  });

program
  .command('demo')
  .description('生成演示县（确定性，可按参数调整规模），并打印各角色的登录账号')
  .option('--students <n>', '学生人数', '25000')
  .option('--seed <s>', '随机种子', '1')
  .option('--force', '数据库非空时也清空并重建')
  .option('--no-exams', '不生成七至九年级的全县统考成绩')
  .option('--no-support', '不生成帮扶对象、结对与帮扶记录')
  .action(async (opts) => (await import('../modules/demo/demo.cli.js')).demoCommand(opts));

const imp = program.command('import').description('导入数据');
imp
  .command('roster <file>')
  .description('导入学生花名册（.xlsx / .xls / CSV，UTF-8 或 GBK）')
  .option('--school <code>', '默认学校标识码（文件中没有学校列时使用）')
  .option('--json', '最后一行输出 JSON 结果')
  .action(async (file, opts) => (await import('../modules/roster-import/roster-import.cli.js')).importRosterCommand(file, opts));
imp
  .command('exam <file>')
  .description('导入考试成绩表（每名学生一行、每科一列；.xlsx / .xls / CSV，UTF-8 或 GBK），导入后自动分析')
  .option('--name <name>', '考试名称（没有 --exam 时必填；同名、同学年、同学期、同年级、同范围的考试会被沿用，成绩被替换）')
  .option('--grade <grade>', '年级，如 7、七年级、初一')
  .option('--term <term>', '学期：1、2、上、下、第一学期、第二学期，或 2026-2027-1 这样连同学年')
  .option('--school-year <year>', '学年，如 2026-2027（默认当前学年）')
  .option('--kind <kind>', '考试类型：期中、期末、月考、统考', '统考')
  .option('--subjects <list>', '科目与满分，如 语文:120,数学:120,英语:120,科学:160（默认取自表头，如“语文(120)”，否则语数英七至九年级 120、其余 100）')
  .option('--total <list>', '计入总分的科目，如 语文,数学,英语,科学（默认全部科目）')
  .option('--school <code>', '校内考试：学校标识码（默认为全县统考）')
  .option('--pairing <id>', '结对联考：校际结对的编号（结对各校的学生参加）')
  .option('--exam <examId>', '导入到已有考试（替换其成绩）')
  .option('--json', '最后一行输出 JSON 结果')
  .action(async (file, opts) => (await import('../modules/exams/exam-import.cli.js')).importExamCommand(file, opts));

const report = program.command('report').description('报表');
report
  .command('bottom20')
  .description('后20%分析报表（按学校 / 班级 / 任课教师；CSV、JSON 输出到标准输出，xlsx 写入文件）')
  .requiredOption('--exam <examId>', '考试编号')
  .option('--by <level>', 'school、class 或 teacher', 'school')
  .option('--format <format>', 'csv、json 或 xlsx', 'csv')
  .option('--out <file>', '写入文件（xlsx 默认 bottom20-<考试编号>-<level>.xlsx）')
  .action(async (opts) => (await import('../modules/exams/exam-report.cli.js')).reportBottom20Command(opts));
report
  .command('coverage')
  .description('帮扶覆盖报表：各校各类别已确认的帮扶对象中有、无帮扶教师的人数（CSV、JSON 输出到标准输出，xlsx 写入文件）')
  .option('--school-year <year>', '学年，如 2026-2027（默认当前学年）')
  .option('--format <format>', 'csv、json 或 xlsx', 'csv')
  .option('--out <file>', '写入文件（xlsx 默认 coverage-<学年>.xlsx）')
  .action(async (opts) => (await import('../modules/support/support-report.cli.js')).reportCoverageCommand(opts));
report
  .command('compliance')
  .description('配额完成情况报表：各教师、各校每条师生结对配额的应完成、已完成和状态')
  .option('--period <semester>', '学期，如 2026-2027-1（默认当前学期）')
  .option('--format <format>', 'csv、json 或 xlsx', 'csv')
  .option('--out <file>', '写入文件（xlsx 默认 compliance-<学期>.xlsx）')
  .action(async (opts) => (await import('../modules/support/support-report.cli.js')).reportComplianceCommand(opts));
report
  .command('aid')
  .description('资助汇总报表：各校各资助项目的受助学生数、笔数和金额（CSV、JSON 输出到标准输出，xlsx 写入文件）')
  .option('--school-year <year>', '学年，如 2026-2027（默认当前学年）')
  .option('--format <format>', 'csv、json 或 xlsx', 'csv')
  .option('--out <file>', '写入文件（xlsx 默认 aid-<学年>.xlsx）')
  .action(async (opts) => (await import('../modules/support/aid/aid-report.cli.js')).reportAidCommand(opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // the embedded database's folder held by another process: the message says who and what to do
  if ((err as Error).name !== 'DataDirLockedError') throw err;
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
