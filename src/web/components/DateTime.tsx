import { Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';
export const DATE_FORMAT = 'YYYY-MM-DD';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format(DATE_TIME_FORMAT) : value;
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
        {d.fromNow()}
      </time>
    </Tooltip>
  );
}
