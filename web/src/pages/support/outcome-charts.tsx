// ECharts of the support outcomes (canvas): a student's percentile across exams, and the estimated
// difference (supported − comparison) per unit with its 95 % interval as whiskers. Reached only
// through lazy pages: none of it is in the main bundle.
import type { CSSProperties } from 'react';
import { Flex } from 'antd';
import { EChart, echarts } from '../../components/EChart';
import { useI18n } from '../../i18n/I18nProvider';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';

echarts.use([BarChart, LineChart, CustomChart, MarkLineComponent]);

const BAD = '#ff4d4f';
const GOOD = '#52c41a';
const SWATCH: CSSProperties = { display: 'inline-block', width: 14, height: 10, borderRadius: 2, marginRight: 6, verticalAlign: 'middle' };

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
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, interval: 0, width: 72, overflow: 'truncate' } },
        yAxis: { type: 'value', min: 0, max: 100, name, nameLocation: 'end', nameGap: 8, nameTextStyle: { fontSize: 11, color: '#8c8c8c', align: 'left' } },
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
 * Estimated difference per unit (percentile points: the supported students' mean change minus the
 * similar unsupported students'), horizontal bars (names stay readable on a phone), with the 95 %
 * interval drawn as a whisker; a unit without an estimate shows no bar. The value axis is titled
 * with its unit and a legend under the chart says what green, red and the whisker mean.
 */
export function DifferenceChart({ names, values, ci, name }: { names: string[]; values: (number | null)[]; ci: ([number, number] | null)[]; name: string }) {
  const { t } = useI18n();
  const height = Math.max(180, names.length * 30 + 80);
  const whiskers = ci.map((c, i) => (c ? [i, c[0], c[1]] : [i, NaN, NaN]));
  const fmt = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(2)}`;
  const legend = [
    { key: 'better', swatch: <span style={{ ...SWATCH, background: GOOD, opacity: 0.75 }} />, text: t('support.outcomes.legendBetter') },
    { key: 'worse', swatch: <span style={{ ...SWATCH, background: BAD, opacity: 0.75 }} />, text: t('support.outcomes.legendWorse') },
    { key: 'ci', swatch: <span style={{ ...SWATCH, height: 0, borderTop: '2px solid #333', borderLeft: 'none', borderRight: 'none' }} />, text: t('support.outcomes.legendCi') },
  ];
  return (
    <div data-testid="support-outcomes-difference-chart">
      <EChart
        height={height}
        option={{
          animation: false,
          tooltip: {
            trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
            formatter: (ps: { dataIndex: number; marker: string }[]) => {
              const i = ps[0]?.dataIndex ?? 0;
              const v = values[i];
              const c = ci[i];
              return [
                names[i] ?? '',
                `${ps[0]?.marker ?? ''}${name}　<b>${v == null ? '—' : fmt(v)}</b>`,
                c ? `${t('support.outcomes.ci')}　${fmt(c[0])} ~ ${fmt(c[1])}` : '',
              ].filter(Boolean).join('<br/>');
            },
          },
          grid: { left: 8, right: 24, top: 28, bottom: 40, containLabel: true },
          xAxis: {
            type: 'value',
            name: t('support.outcomes.axisDifference'), nameLocation: 'middle', nameGap: 26,
            nameTextStyle: { fontSize: 11, color: '#595959' },
            axisLabel: { fontSize: 10, formatter: (v: number) => (v > 0 ? `+${v}` : String(v)) },
            splitLine: { lineStyle: { color: '#f0f0f0' } },
          },
          yAxis: {
            type: 'category', data: names, inverse: true,
            name: t('support.outcomes.unit'), nameLocation: 'start', nameGap: 10,
            nameTextStyle: { fontSize: 11, color: '#595959', align: 'right' },
            axisLabel: { fontSize: 11, width: 110, overflow: 'break', lineHeight: 13 },
          },
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
      <Flex wrap gap="4px 16px" justify="center" style={{ fontSize: 12, color: '#595959', margin: '4px 0 8px' }} data-testid="support-outcomes-difference-legend">
        {legend.map((l) => <span key={l.key} style={{ whiteSpace: 'nowrap' }}>{l.swatch}{l.text}</span>)}
      </Flex>
    </div>
  );
}
