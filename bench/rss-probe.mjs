// Preloaded with `node --import ./bench/rss-probe.mjs …` when /usr/bin/time is not available:
// samples the process's resident set size and writes the peak (bytes) to BANGFU_BENCH_RSS_FILE at exit.
import fs from 'node:fs';

const file = process.env.BANGFU_BENCH_RSS_FILE;
if (file) {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  setInterval(sample, 25).unref();
  process.on('exit', () => {
    sample();
    fs.writeFileSync(file, String(peak));
  });
}
