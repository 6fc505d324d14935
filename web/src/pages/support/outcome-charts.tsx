// ECharts of the support outcomes (canvas): a student's percentile across exams, and the estimated
// difference (supported − comparison) per unit with its 95 % interval as whiskers. Reached only
// through lazy pages: none of it is in the main bundle.
import { EChart, echarts } from '../../components/EChart';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';

echarts.use([BarChart, LineChart, CustomChart, MarkLineComponent]);

const BAD = '#ff4d4f';
const GOOD = '#52c41a';

/** Percentile (0–100) by exam; points in the 总分 后20% group red; a dashed line at 20. */
export function TrajectoryChart({ labels, values, bottom, name, lineLabel }: {
  labels: string[];
  values: (number | null)[];
  bottom: boolean[];
  name: string;
  lineLabel: string;
}) {
  return (
    <EChart
      height={220}
      option={{
        animation: false,
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, interval: 0, width: 72, overflow: 'truncate' } },
        yAxis: { type: 'value', min: 0, max: 100 },
        series: [{
          type: 'line', name, connectNulls: true, symbolSize: 9,
          data: values.map((v, i) => ({ value: v, itemStyle: { color: bottom[i] ? BAD : '#1677ff' } })),
          label: { show: true, fontSize: 10, formatter: (p: { value: number | null }) => (p.value == null ? '' : p.value.toFixed(1)) },
          markLine: {
            symbol: 'none', silent: true, lineStyle: { color: '#fa8c16', type: 'dashed' },
            label: { formatter: lineLabel, position: 'insideStartTop', color: '#fa8c16', fontSize: 10 }, data: [{ yAxis: 20 }],
          },
        }],
      }}
    />
  );
}

/**
 * Estimated difference per unit (points), horizontal bars (names stay readable on a phone), with
 * the 95 % interval drawn as a whisker; a unit without an estimate shows no bar.
 */
export function DifferenceChart({ names, values, ci, name }: { names: string[]; values: (number | null)[]; ci: ([number, number] | null)[]; name: string }) {
  const height = Math.max(160, names.length * 30 + 48);
  const whiskers = ci.map((c, i) => (c ? [i, c[0], c[1]] : [i, NaN, NaN]));
  return (
    <EChart
      height={height}
      option={{
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 11, width: 110, overflow: 'truncate' } },
        series: [
          {
            type: 'bar', name, barMaxWidth: 16,
            data: values.map((v) => ({ value: v, itemStyle: { color: v == null ? '#ccc' : v >= 0 ? GOOD : BAD, opacity: 0.75 } })),
          },
          {
            type: 'custom', name: '95%', silent: true, z: 10,
            data: whiskers,
            encode: { x: [1, 2], y: 0 },
            renderItem: (_params: unknown, api: { value: (k: number) => number; coord: (p: number[]) => number[]; size: (p: number[]) => number[] }) => {
              const lo = api.value(1);
              const hi = api.value(2);
              if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
              const y = api.value(0);
              const a = api.coord([lo, y]);
              const b = api.coord([hi, y]);
              const h = api.size([0, 1])[1]! * 0.25;
              const style = { stroke: '#333', lineWidth: 1.5 };
              return {
                type: 'group',
                children: [
                  { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style },
                  { type: 'line', shape: { x1: a[0], y1: a[1]! - h, x2: a[0], y2: a[1]! + h }, style },
                  { type: 'line', shape: { x1: b[0], y1: b[1]! - h, x2: b[0], y2: b[1]! + h }, style },
                ],
              };
            },
          },
        ],
      }}
    />
  );
}
