import { useTranslation } from 'react-i18next';

const TONE: Record<string, string> = {
  new: 'open',
  assigned: 'open',
  in_progress: 'open',
  reopened: 'open',
  pending_review: 'open',
  waiting_customer: 'wait',
  pending_confirmation: 'wait',
  closed: 'done',
  cancelled: 'done',
};

/** A ticket's status in the customer's words (portal texts, not the console's). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`pt-badge pt-badge-${TONE[status] ?? 'open'}`}>{t(`tickets.status.${status}`, { defaultValue: status })}</span>;
}
