import { Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { serverNow } from './sla/time.js';

export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';
export const DATE_FORMAT = 'YYYY-MM-DD';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format(DATE_TIME_FORMAT) : value;
}

/**
 * "3 小时前" measured on the server's clock (as far as the browser knows it); a moment up to two minutes in the future
 * (a browser clock running slightly behind) reads as now rather than "in a few seconds".
 */
export function fromNow(value: string): string {
  const now = serverNow();
  const t = dayjs(value).valueOf();
  return dayjs(t > now && t - now < 120_000 ? now : t).from(now);
}

/** Absolute time, or relative ("3 小时前") with the absolute time in a tooltip. */
export function DateTime({ value, relative = false }: { value: string | null | undefined; relative?: boolean }) {
  useTranslation(); // re-render on language change (dayjs locale)
  if (!value) return <span className="ac-muted">—</span>;
  const d = dayjs(value);
  if (!d.isValid()) return <span>{value}</span>;
  if (!relative) return <span className="ac-nowrap">{d.format(DATE_TIME_FORMAT)}</span>;
  return (
    <Tooltip title={d.format('YYYY-MM-DD HH:mm:ss')}>
      <time dateTime={value} className="ac-nowrap">
        {fromNow(value)}
      </time>
    </Tooltip>
  );
}
