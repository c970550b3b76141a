// What the spare parts pages share: who may do what (as the server decides in domain/access.ts), a part's name in
// the current language, the stock level cell with the low-stock mark, and the move kind tag.
import { useMemo } from 'react';
import { Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { ArrowLeftOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/enums.js';

export const canManageParts = (role: Role) => role === 'manager' || role === 'director' || role === 'admin';
export const canDispatchStock = (role: Role) => ['dispatcher', 'supervisor', 'manager', 'director', 'admin'].includes(role);
export const canMoveStock = (role: Role) => canDispatchStock(role) || role === 'engineer';

/** The page header's way back to the catalog. */
export function BackToParts() {
  const { t } = useTranslation();
  return (
    <Link to="/parts">
      <ArrowLeftOutlined /> {t('parts.title')}
    </Link>
  );
}

/** A location as a choice in a select: name, the van's engineer, the kind. */
export function useLocationOptions(locations: { id: number; name: string; kind: string; owner: { name: string } | null }[] | undefined) {
  const { t } = useTranslation();
  return useMemo(() => (locations ?? []).map((l) => ({ value: l.id, label: `${l.name}${l.owner ? ` · ${l.owner.name}` : ''} (${t(`parts.locationKind.${l.kind}`)})` })), [locations, t]);
}

export function usePartName() {
  const { i18n } = useTranslation();
  return (p: { nameZh?: string; nameEn?: string | null; partNameZh?: string; partNameEn?: string | null }) => {
    const zh = p.nameZh ?? p.partNameZh ?? '';
    const en = p.nameEn ?? p.partNameEn ?? null;
    return i18n.language === 'en' && en ? en : zh;
  };
}

/** Available (on hand, reserved), marked when below the threshold. */
export function StockLevelCell({ available, onHand, reserved, low, uom }: { available: number; onHand: number; reserved: number; low: boolean; uom: string }) {
  const { t } = useTranslation();
  return (
    <Space size={6} wrap data-low={low ? 'true' : undefined}>
      <Typography.Text strong type={low ? 'danger' : undefined}>
        {available} {t(`parts.uom.${uom}`)}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('parts.onHandReserved', { onHand, reserved })}
      </Typography.Text>
      {low && (
        <Tag color="red" icon={<WarningOutlined />} data-testid="low-stock-tag">
          {t('parts.low')}
        </Tag>
      )}
    </Space>
  );
}

const KIND_COLORS: Record<string, string> = { receive: 'green', transfer: 'blue', reserve: 'gold', release: 'default', consume: 'volcano', return: 'cyan', adjust: 'purple' };

export function MoveKindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[kind]}>{t(`parts.kind.${kind}`)}</Tag>;
}
