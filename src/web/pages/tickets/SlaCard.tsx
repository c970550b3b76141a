// 服务时效: the ticket's SLA policy and every clock with its target (and unit), deadline and live state; awaiting the
// customer, paused and uncovered-calendar notes.
import { Alert, Card, Empty, Flex, Tag, Tooltip, Typography } from 'antd';
import { HourglassOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { SLA_CLOCK_NAMES } from '../../../shared/enums.js';
import type { Ticket } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { formatTarget } from '../../components/sla/clocks.js';
import { ClockStateTag } from '../../components/sla/SlaCountdown.js';

export function SlaCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const sla = ticket.sla;
  const clocks = sla ? [...sla.clocks].sort((a, b) => SLA_CLOCK_NAMES.indexOf(a.clock) - SLA_CLOCK_NAMES.indexOf(b.clock)) : [];
  return (
    <Card
      size="small"
      title={t('sla.title')}
      extra={
        sla && (
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 200 }} data-testid="sla-policy">
            {sla.policyName}
          </Typography.Text>
        )
      }
      data-testid="sla-card"
    >
      {!sla ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.noPolicy')} style={{ margin: '8px 0' }} />
      ) : (
        <Flex vertical gap={10}>
          {ticket.status === 'pending_confirmation' && (
            <div>
              <Tooltip title={t('sla.awaitingCustomerHint')}>
                <Tag icon={<HourglassOutlined />} color="processing" data-testid="sla-awaiting-customer" style={{ marginInlineEnd: 0 }}>
                  {t('sla.awaitingCustomer')}
                </Tag>
              </Tooltip>
            </div>
          )}
          {sla.paused && (
            <div>
              <Tag icon={<PauseCircleOutlined />} color="default" data-testid="sla-paused" style={{ marginInlineEnd: 0 }}>
                {t('sla.pausedBadge')}
              </Tag>
            </div>
          )}
          {sla.uncoveredYears.length > 0 && (
            <Alert
              type="warning"
              showIcon
              title={t('sla.uncovered', { years: sla.uncoveredYears.join(t('common.listSeparator')) })}
              data-testid="sla-uncovered"
            />
          )}
          {clocks.length === 0 && <Typography.Text type="secondary">{t('sla.noClocks')}</Typography.Text>}
          {clocks.map((c) => (
            <div key={c.clock} className="ac-clock-row">
              <div style={{ minWidth: 0 }}>
                <Typography.Text strong>{t(`sla.clock.${c.clock}`)}</Typography.Text>
                {c.target && (
                  <Typography.Text type="secondary" className="ac-clock-target" data-testid={`clock-target-${c.clock}`}>
                    {' · '}
                    {formatTarget(c.target, t)}
                  </Typography.Text>
                )}
                <div className="ac-hint" data-testid={`clock-due-${c.clock}`}>
                  {t('sla.due')} <DateTime value={c.dueAt} />
                  {c.metAt && (
                    <>
                      {' · '}
                      {t('sla.metAt')} <DateTime value={c.metAt} />
                    </>
                  )}
                </div>
              </div>
              <ClockStateTag clock={c} paused={sla.paused} />
            </div>
          ))}
        </Flex>
      )}
    </Card>
  );
}
