// ECharts for the exam pages (bars with a marked line, lines), trimmed to what they draw
// (canvas). Reached only through the lazy exam pages: none of it is in the main bundle, and
// the echarts core it shares with the dashboard's charts becomes one common chunk.
import { EChart, echarts } from '../../components/EChart';
import { BarChart, LineChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';
import { useIsMobile } from '../../components/useIsMobile';

echarts.use([BarChart, LineChart, MarkLineComponent]);

const GOOD = '#52c41a';
const BAD = '#ff4d4f';
const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;

/** Rough width in px of a label at 11 px (a CJK character ≈ 11 px, anything else ≈ 6.5 px). */
function textWidth(s: string, size = 11) {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? size : size * 0.6;
  return w;
}

/**
 * Bottom-group ratio by unit, horizontal bars, best on top; the county line (20 %) marked; bars
 * above it red, at or below it green. Long school names (白沙九年一贯制学校) wrap onto a second
 * line instead of being cut, and the tooltip names the school in full; each value label has a
 * white ground so the dashed line never runs through its figure.
 */
export function RatioBarChart({ names, ratios, line, lineLabel, onClickIndex }: {
  names: string[];
  ratios: number[];
  /** a fraction, e.g. 0.2 */
  line: number;
  lineLabel: string;
  onClickIndex?: (i: number) => void;
}) {
  const narrow = useIsMobile();
  const labelWidth = narrow ? 100 : 168;
  const lines = Math.min(3, Math.max(1, ...names.map((n) => Math.ceil(textWidth(n) / labelWidth))));
  const row = Math.max(30, lines * 14 + 10);
  const height = Math.max(180, names.length * row + 56);
  const max = Math.max(line * 1.25, ...ratios);
  return (
    <EChart
      height={height}
      onEvents={onClickIndex ? { click: (p: { dataIndex: number }) => onClickIndex(p.dataIndex) } : undefined}
      option={{
        tooltip: {
          trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
          formatter: (ps: { dataIndex: number; marker: string; value: number }[]) => {
            const p = ps[0];
            return p ? `${names[p.dataIndex] ?? ''}<br/>${p.marker}<b>${pct(p.value)}</b>` : '';
          },
        },
        grid: { left: 8, right: 52, top: 28, bottom: 8, containLabel: true },
        xAxis: { type: 'value', max: Math.min(1, narrow ? Math.ceil(max * 5) / 5 : Math.ceil(max * 10) / 10), splitNumber: narrow ? 4 : 5, axisLabel: { hideOverlap: true, formatter: (v: number) => pct(v, 0) } },
        yAxis: {
          type: 'category', data: names, inverse: true,
          axisLabel: { fontSize: 11, lineHeight: 14, width: labelWidth, overflow: 'break', ellipsis: '…' },
        },
        series: [{
          type: 'bar',
          data: ratios.map((v) => ({ value: v, itemStyle: { color: v > line ? BAD : GOOD, borderRadius: 3 } })),
          barMaxWidth: 18,
          // above the marked line (z 5): the figures sit on their white ground over the dashed line
          z: 6,
          cursor: onClickIndex ? 'pointer' : 'default',
          label: {
            show: true, position: 'right', distance: 4, fontSize: 11, color: '#262626',
            backgroundColor: '#fff', padding: [1, 3], borderRadius: 2,
            formatter: (p: { value: number }) => pct(p.value),
          },
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#fa8c16', type: 'dashed', width: 1.5 },
            // above the plot (the inverted axis puts the line's start on top), clear of every bar's figure
            label: { formatter: lineLabel, position: 'start', distance: 4, color: '#fa8c16', fontSize: 11 },
            data: [{ xAxis: line }],
          },
        }],
      }}
    />
  );
}

/** Counts per bucket (the score distribution). */
export function DistributionChart({ labels, values, name, height = 240, narrow = false }: { labels: string[]; values: number[]; name: string; height?: number; narrow?: boolean }) {
  return (
    <EChart
      height={height}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 10, rotate: narrow ? 45 : 0 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', name, data: values, itemStyle: { color: '#1677ff', borderRadius: 2 }, barCategoryGap: '12%', label: { show: !narrow, position: 'top', fontSize: 10 } }],
      }}
    />
  );
}

export interface TrendSeries {
  name: string;
  /** one per category; null = no figure for that exam */
  data: (number | null)[];
  /** the school's own line: thicker */
  emphasis?: boolean;
}

/** Lines across exams: ratios (percent axis, lower is better) or ranks (1 on top). */
export function TrendChart({ categories, titles, series, kind, line, height = 280, narrow = false }: {
  categories: string[];
  /** the full exam names, shown in the tooltip */
  titles?: string[];
  series: TrendSeries[];
  kind: 'ratio' | 'rank';
  /** a horizontal marker (the 20 % line) on a ratio chart */
  line?: { value: number; label: string };
  height?: number;
  narrow?: boolean;
}) {
  const ratio = kind === 'ratio';
  return (
    <EChart
      height={height}
      option={{
        animationDuration: 400,
        tooltip: {
          trigger: 'axis',
          confine: true,
          formatter: (params: { dataIndex: number; marker: string; seriesName: string; value: number | null }[]) => {
            const i = params[0]?.dataIndex ?? 0;
            const head = titles?.[i] ?? categories[i] ?? '';
            const rows = params.filter((p) => p.value != null).map((p) => `${p.marker}${p.seriesName}　<b>${ratio ? pct(p.value!) : p.value}</b>`);
            return [head, ...rows].join('<br/>');
          },
        },
        legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 11 } },
        grid: { left: 8, right: 32, top: 24, bottom: 36, containLabel: true },
        xAxis: { type: 'category', data: categories, boundaryGap: true, axisLabel: { fontSize: 10, interval: 0, lineHeight: 14 } },
        yAxis: ratio
          ? { type: 'value', min: 0, axisLabel: { formatter: (v: number) => pct(v, 0) } }
          : { type: 'value', inverse: true, min: 1, minInterval: 1 },
        series: series.map((s, i) => ({
          type: 'line',
          name: s.name,
          data: s.data,
          connectNulls: true,
          symbolSize: s.emphasis ? 8 : 5,
          lineStyle: { width: s.emphasis ? 3 : 1.5 },
          z: s.emphasis ? 3 : 2,
          ...(i === 0 && ratio && line
            ? { markLine: { symbol: 'none', silent: true, lineStyle: { color: '#fa8c16', type: 'dashed' }, label: { formatter: line.label, color: '#fa8c16', fontSize: 11 }, data: [{ yAxis: line.value }] } }
            : {}),
        })),
      }}
    />
  );
}
