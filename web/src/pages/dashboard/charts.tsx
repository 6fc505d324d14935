// ECharts, trimmed to what the overview draws (bar + pie, canvas): this file is only
// reached through the lazy dashboard page, so none of it is in the main bundle.
import { EChart, echarts } from '../../components/EChart';
import { BarChart, PieChart } from 'echarts/charts';

echarts.use([BarChart, PieChart]);

export function BarChartView({ categories, values, name, height = 280, horizontal = false, narrow = false }: { categories: string[]; values: number[]; name: string; height?: number; horizontal?: boolean; narrow?: boolean }) {
  // a phone has ~40 px per bar: labels turn so they do not run into each other
  const category = { type: 'category' as const, data: categories, axisLabel: { interval: 0, fontSize: 11, rotate: narrow && !horizontal && categories.length > 5 ? 45 : 0 } };
  const value = { type: 'value' as const, minInterval: 1 };
  return (
    <EChart
      height={height}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? { ...category, inverse: true } : value,
        series: [{ type: 'bar', name, data: values, itemStyle: { color: '#1677ff', borderRadius: 3 }, barMaxWidth: 28, label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 11 } }],
      }}
    />
  );
}

export function PieChartView({ data, height = 280 }: { data: { name: string; value: number }[]; height?: number }) {
  return (
    <EChart
      height={height}
      option={{
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
        legend: { bottom: 0 },
        color: ['#1677ff', '#13c2c2', '#faad14', '#eb2f96', '#52c41a'],
        series: [{ type: 'pie', radius: ['40%', '68%'], center: ['50%', '45%'], data, label: { formatter: '{b}\n{c}' } }],
      }}
    />
  );
}
