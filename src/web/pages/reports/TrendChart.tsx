// The satisfaction trend: answers per day (bars) with that day's CSAT and NPS (lines), every day of the period on the
// axis. ECharts is loaded when the chart first shows (./echarts.ts), and the chart follows its card's width.
import { useEffect, useRef, useState } from 'react';
import { Alert, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SurveyReport } from '../../../shared/surveys.js';
import { chinaDays, type Period } from './period.js';

type ECharts = ReturnType<(typeof import('echarts/core'))['init']>;

export function TrendChart({ report, period }: { report: SurveyReport; period: Period }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    import('./echarts.js')
      .then(({ echarts }) => {
        if (disposed || !box.current) return;
        chart.current = echarts.init(box.current, undefined, { renderer: 'canvas' });
        observer = new ResizeObserver(() => chart.current?.resize());
        observer.observe(box.current);
        setState('ready');
      })
      .catch(() => !disposed && setState('failed'));
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (state !== 'ready' || !chart.current) return;
    const byDay = new Map(report.trend.map((d) => [d.date, d]));
    const days = chinaDays(period);
    const narrow = (box.current?.clientWidth ?? 800) < 500;
    chart.current.setOption(
      {
        animation: false,
        grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
        legend: { top: 0, itemWidth: 14, itemHeight: 10 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisTick: { alignWithLabel: true }, axisLabel: { hideOverlap: true } },
        yAxis: [
          { type: 'value', name: narrow ? '' : t('satisfaction.trend.answers'), minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
          { type: 'value', name: narrow ? '' : '%', min: -100, max: 100, interval: 50, splitLine: { show: false } },
        ],
        series: [
          { name: t('satisfaction.trend.answers'), type: 'bar', data: days.map((d) => byDay.get(d)?.count ?? 0), itemStyle: { color: '#91caff' }, barMaxWidth: 18 },
          { name: 'CSAT %', type: 'line', yAxisIndex: 1, connectNulls: true, data: days.map((d) => byDay.get(d)?.csat ?? null), itemStyle: { color: '#389e0d' }, symbolSize: 5 },
          { name: 'NPS', type: 'line', yAxisIndex: 1, connectNulls: true, data: days.map((d) => byDay.get(d)?.nps ?? null), itemStyle: { color: '#1668dc' }, symbolSize: 5 },
        ],
      },
      { notMerge: true },
    );
  }, [state, report, period, t]);

  return (
    <div style={{ position: 'relative' }}>
      {state === 'failed' && <Alert type="error" showIcon title={t('satisfaction.trend.failed')} />}
      <div ref={box} style={{ height: 280, width: '100%' }} role="img" aria-label={t('satisfaction.trend.label')} data-testid="trend-chart" />
      {state === 'loading' && (
        <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <Spin />
        </div>
      )}
    </div>
  );
}
