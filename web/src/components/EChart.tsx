// One ECharts canvas for every chart of the app: the core with what all of them use (canvas,
// grid, tooltip, legend), redrawn from scratch when the option changes. Each chart file registers
// its own series types (`echarts.use([BarChart])`) and is reached only through lazy pages, so
// none of ECharts is in the main bundle.
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export { echarts };

export function EChart({ option, height, onEvents }: {
  option: Record<string, unknown>;
  height: number;
  onEvents?: Record<string, (params: never) => void>;
}) {
  return <ReactEChartsCore echarts={echarts} style={{ height }} notMerge option={option} onEvents={onEvents as Record<string, (p: unknown) => void> | undefined} />;
}
