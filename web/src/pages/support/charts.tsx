// ECharts for the support pages (stacked bars per school), canvas only; reached only through the
// lazy bureau page, so none of it is in the main bundle.
import { EChart, echarts } from '../../components/EChart';
import { BarChart } from 'echarts/charts';

echarts.use([BarChart]);

/** Horizontal stacked bars, one row per school (names stay readable on a phone). */
export function StackedBarChart({ names, series }: { names: string[]; series: { name: string; values: number[]; color: string }[] }) {
  const height = Math.max(200, names.length * 28 + 72);
  return (
    <EChart
      height={height}
      option={{
        // no grow-in animation: the page re-renders as its second query arrives, which restarted it
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 11, width: 110, overflow: 'truncate' } },
        series: series.map((s) => ({ type: 'bar', stack: 'all', name: s.name, data: s.values, itemStyle: { color: s.color }, barMaxWidth: 18 })),
      }}
    />
  );
}
