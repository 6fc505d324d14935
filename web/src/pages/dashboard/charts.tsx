// ECharts, trimmed to what the overview draws (bar + pie, canvas): this file is only
// reached through the lazy dashboard page, so none of it is in the main bundle.
import { EChart, echarts } from '../../components/EChart';
import { BarChart, PieChart } from 'echarts/charts';
import { useIsMobile } from '../../components/useIsMobile';

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
  // a phone's card is ~340 px wide: labels outside the ring were cut ("城..."), so there the ring
  // carries the counts and the legend below names each part with its count
  const narrow = useIsMobile();
  const count = new Map(data.map((d) => [d.name, d.value]));
  return (
    <EChart
      height={height}
      option={{
        tooltip: { trigger: 'item', confine: true, formatter: '{b}: {c} ({d}%)' },
        legend: { bottom: 0, itemGap: 16, formatter: narrow ? (name: string) => `${name} ${count.get(name) ?? ''}` : undefined },
        color: ['#1677ff', '#13c2c2', '#faad14', '#eb2f96', '#52c41a'],
        series: [{
          type: 'pie',
          radius: narrow ? ['36%', '70%'] : ['40%', '68%'],
          center: ['50%', '45%'],
          data,
          avoidLabelOverlap: true,
          label: narrow
            ? { position: 'inside', formatter: '{c}', color: '#fff', fontSize: 13, fontWeight: 'bold' }
            : { formatter: '{b}\n{c}' },
          labelLine: { show: !narrow },
        }],
      }}
    />
  );
}
