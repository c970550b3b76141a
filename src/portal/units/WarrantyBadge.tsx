// A unit's warranty as the customer reads it (the unit list, the request form a QR label opens).
import { useTranslation } from 'react-i18next';
import type { PortalUnit } from '../../shared/portal.js';

export function WarrantyBadge({ unit }: { unit: PortalUnit }) {
  const { t } = useTranslation();
  if (unit.warranty === 'in_warranty') return <span className="pt-badge pt-badge-done" data-testid="portal-warranty" data-status="in">{t('units.inWarranty', { date: unit.warrantyEnd })}</span>;
  if (unit.warranty === 'expired') return <span className="pt-badge pt-badge-warn" data-testid="portal-warranty" data-status="out">{t('units.expired', { date: unit.warrantyEnd })}</span>;
  return <span className="pt-badge" data-testid="portal-warranty" data-status="unknown">{t('units.unknown')}</span>;
}
