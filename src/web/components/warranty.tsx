// A unit's warranty status, as a tag in lists and as a banner where it decides the work (unit page, ticket, intake).
import { Alert, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WarrantyInfo } from '../api/products.js';

const COLOR = { in: 'success', out: 'default', unknown: 'warning' } as const;

export function WarrantyStatusTag({ warranty, testId }: { warranty: WarrantyInfo; testId?: string }) {
  const { t } = useTranslation();
  const tip = warranty.end ? t('warranty.until', { date: warranty.end }) : t(`warranty.reason.${warranty.reason}`);
  return (
    <Tooltip title={tip}>
      <Tag color={COLOR[warranty.status]} style={{ marginInlineEnd: 0 }} data-testid={testId} data-status={warranty.status}>
        {t(`warranty.status.${warranty.status}`)}
      </Tag>
    </Tooltip>
  );
}

/** The status in large type with start, end, basis and why; out of warranty names the fee standard. */
export function WarrantyBanner({ warranty, testId = 'warranty-banner' }: { warranty: WarrantyInfo; testId?: string }) {
  const { t } = useTranslation();
  const type = warranty.status === 'in' ? 'success' : warranty.status === 'out' ? 'error' : 'warning';
  const period = warranty.start && warranty.end ? t('warranty.period', { start: warranty.start, end: warranty.end }) : null;
  return (
    <Alert
      type={type}
      showIcon
      data-testid={testId}
      data-status={warranty.status}
      title={<span style={{ fontSize: 18, fontWeight: 600 }}>{t(`warranty.status.${warranty.status}`)}</span>}
      description={
        <div>
          {period && <div>{period}</div>}
          <div>
            {t(`warranty.basis.${warranty.basis}`)} · {t(`warranty.reason.${warranty.reason}`)}
          </div>
          {warranty.status === 'out' && <div>{t('warranty.charged')}</div>}
        </div>
      }
    />
  );
}
