import { Alert, Button, Card, Empty, Flex, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, MailOutlined, PhoneOutlined, EnvironmentOutlined, BankOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LookupMatch, Unit } from '../../api/types.js';
import { PriorityTag, SpecialNeedsTag, StatusTag, TierTag } from '../../components/tags.js';
import { WarrantyStatusTag } from '../../components/warranty.js';

export function MatchCard({
  match,
  selected,
  pickedUnitId,
  onSelect,
  onPickUnit,
}: {
  match: LookupMatch;
  selected: boolean;
  pickedUnitId: number | null;
  onSelect: () => void;
  onPickUnit: (unit: Unit) => void;
}) {
  const { t } = useTranslation();
  const { customer, units, openTickets } = match;
  return (
    <Card
      size="small"
      className={`ac-match-card${selected ? ' ac-selected' : ''}`}
      data-testid={`lookup-customer-${customer.id}`}
      title={
        <Space size={6} wrap>
          <span>{customer.name}</span>
          <TierTag tier={customer.tier} />
          {customer.specialNeeds && <SpecialNeedsTag note={customer.specialNeedsNote} />}
        </Space>
      }
      extra={
        selected ? (
          <Tag color="blue" icon={<CheckCircleFilled />} style={{ marginInlineEnd: 0 }}>
            {t('intake.selected')}
          </Tag>
        ) : (
          <Button size="small" type="primary" ghost onClick={onSelect} data-testid={`select-customer-${customer.id}`}>
            {t('intake.selectCustomer')}
          </Button>
        )
      }
    >
      <div className="ac-stack" style={{ gap: 10 }}>
        <Space orientation="vertical" size={2} style={{ width: '100%' }}>
          {customer.company && (
            <Typography.Text>
              <BankOutlined className="ac-muted" /> {customer.company}
            </Typography.Text>
          )}
          {customer.phone && (
            <Typography.Text>
              <PhoneOutlined className="ac-muted" /> {customer.phone}
            </Typography.Text>
          )}
          {customer.email && (
            <Typography.Text>
              <MailOutlined className="ac-muted" /> {customer.email}
            </Typography.Text>
          )}
          {customer.address && (
            <Typography.Text type="secondary">
              <EnvironmentOutlined /> {customer.address}
            </Typography.Text>
          )}
        </Space>
        {customer.specialNeeds && customer.specialNeedsNote && (
          <Alert type="warning" showIcon title={t('intake.specialNeedsNote', { note: customer.specialNeedsNote })} />
        )}
        <div>
          <Typography.Text strong>{t('intake.products', { count: units.length })}</Typography.Text>
          {units.length > 0 && (
            <div className="ac-hint" style={{ marginBottom: 6 }}>
              {t('intake.pickUnitHint')}
            </div>
          )}
          {units.length === 0 ? (
            <div className="ac-muted">{t('intake.noProducts')}</div>
          ) : (
            <div className="ac-stack" style={{ gap: 6 }}>
              {units.map((u) => (
                <div
                  key={u.id}
                  className={`ac-unit${u.id === pickedUnitId ? ' ac-unit-picked' : ''}`}
                  role="button"
                  aria-pressed={u.id === pickedUnitId}
                  tabIndex={0}
                  data-testid={`unit-${u.id}`}
                  onClick={() => onPickUnit(u)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onPickUnit(u);
                    }
                  }}
                >
                  <Flex justify="space-between" align="center" gap={8}>
                    <span>
                      <Typography.Text strong>{u.productModel}</Typography.Text>
                      {u.productName && <Typography.Text type="secondary"> · {u.productName}</Typography.Text>}
                    </span>
                    <WarrantyStatusTag warranty={u.warranty} />
                  </Flex>
                  <div className="ac-hint">
                    {t('field.serialNumber')}: {u.serialNumber ?? '—'} · {t('field.purchaseDate')}: {u.purchaseDate ?? '—'}
                  </div>
                </div>
              ))}
            </div>
          )}
        </div>
        <div>
          <Typography.Text strong>{t('intake.openTickets', { count: openTickets.length })}</Typography.Text>
          {openTickets.length === 0 ? (
            <div className="ac-muted">{t('intake.noOpenTickets')}</div>
          ) : (
            <div className="ac-stack" style={{ gap: 4, marginTop: 4 }}>
              {openTickets.map((tk) => (
                <div key={tk.number} className="ac-open-ticket">
                  <Flex gap={6} align="center" wrap>
                    <Link to={`/tickets/${tk.number}`} target="_blank" className="ac-number">
                      {tk.number}
                    </Link>
                    <StatusTag status={tk.status} />
                    <PriorityTag priority={tk.priority} />
                  </Flex>
                  <Typography.Text ellipsis={{ tooltip: tk.title }} style={{ display: 'block' }}>
                    {tk.title}
                  </Typography.Text>
                </div>
              ))}
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}

export function NoMatch({ phone }: { phone: string }) {
  const { t } = useTranslation();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={t('intake.noMatch', { phone })}
      style={{ margin: '8px 0' }}
      data-testid="lookup-no-match"
    />
  );
}
