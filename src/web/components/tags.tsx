// Small presentational pieces for enum values: colours here, labels from the locale files.
import { Tag, Tooltip } from 'antd';
import { HeartFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CustomerTier, Priority, TicketStatus } from '../../shared/enums.js';

export const STATUS_COLORS: Record<TicketStatus, string> = {
  new: 'geekblue',
  assigned: 'cyan',
  in_progress: 'processing',
  waiting_customer: 'warning',
  pending_review: 'purple',
  pending_confirmation: 'lime',
  closed: 'success',
  reopened: 'magenta',
  cancelled: 'default',
};

export const PRIORITY_COLORS: Record<Priority, string> = { P1: 'red', P2: 'orange', P3: 'blue' };

export function StatusTag({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={testId} data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`status.${status}`)}
    </Tag>
  );
}

export function PriorityTag({ priority, testId }: { priority: Priority; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={PRIORITY_COLORS[priority]} data-testid={testId} data-priority={priority} style={{ marginInlineEnd: 0 }}>
      {priority} {t(`priority.${priority}`)}
    </Tag>
  );
}

const TIER_COLORS: Record<CustomerTier, string> = { normal: 'default', core: 'blue', vip: 'gold' };

export function TierTag({ tier, hideNormal = false }: { tier: CustomerTier; hideNormal?: boolean }) {
  const { t } = useTranslation();
  if (hideNormal && tier === 'normal') return null;
  return (
    <Tag color={TIER_COLORS[tier]} style={{ marginInlineEnd: 0 }}>
      {t(`tier.${tier}`)}
    </Tag>
  );
}

export function SpecialNeedsTag({ note }: { note?: string | null }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color="magenta" icon={<HeartFilled />} style={{ marginInlineEnd: 0 }}>
      {t('customer.specialNeeds')}
    </Tag>
  );
  return note ? <Tooltip title={note}>{tag}</Tooltip> : tag;
}

