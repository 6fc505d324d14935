// The import commands' progress on stderr: one line when the phase changes, else at most one a
// second, each with the rows done and the seconds since `started`.

export function importProgressPrinter<P extends string>(labels: Record<P, string>, started: number, out: NodeJS.WritableStream = process.stderr) {
  let lastPrint = 0;
  let lastPhase = '';
  return ({ processedRows, phase }: { processedRows: number; phase: P }): void => {
    const now = Date.now();
    if (phase === lastPhase && now - lastPrint < 1000) return;
    lastPhase = phase;
    lastPrint = now;
    out.write(`[${labels[phase]}] 已处理 ${processedRows} 行（${((now - started) / 1000).toFixed(1)} 秒）\n`);
  };
}
