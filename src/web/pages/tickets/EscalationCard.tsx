// 升级: shown once a ticket has been escalated — to whom, when, by when the manager must acknowledge, and 确认.
import { Card, Descriptions, Tag, Typography } from 'antd';
import { RiseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { countdownText } from '../../components/sla/clocks.js';
import { useServerNow } from '../../components/sla/time.js';
import { AcknowledgeButton } from './WorkflowActions.js';

export function EscalationCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const e = ticket.escalation;
  if (!e || e.level <= 0) return null;
  const canAck = (ticket.allowedActions ?? []).includes('acknowledge');
  return (
    <Card
      size="small"
      className="ac-escalation-card"
      title={
        <span>
          <RiseOutlined style={{ color: '#cf1322' }} /> {t('escalation.title')}
        </span>
      }
      extra={canAck ? <AcknowledgeButton ticket={ticket} /> : undefined}
      data-testid="escalation-card"
    >
      <Descriptions
        size="small"
        column={1}
        styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'level',
            label: t('escalation.level'),
            children: (
              <Tag color={e.level >= 2 ? 'red' : 'volcano'} style={{ marginInlineEnd: 0 }} data-testid="escalation-level">
                {e.level >= 2 ? t('escalation.level2') : t('escalation.level1')}
              </Tag>
            ),
          },
          { key: 'to', label: t('escalation.to'), children: e.to?.name ?? <span className="ac-muted">—</span> },
          { key: 'at', label: t('escalation.at'), children: <DateTime value={e.at} /> },
          ...(e.ackedAt || e.ackDueAt || canAck
            ? [
                {
                  key: 'ack',
                  label: t('escalation.ack'),
                  children: e.ackedAt ? (
                    <span>
                      <Tag color="success" style={{ marginInlineEnd: 6 }}>
                        {t('escalation.acked')}
                      </Tag>
                      <DateTime value={e.ackedAt} />
                    </span>
                  ) : (
                    <AckDue due={e.ackDueAt} />
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function AckDue({ due }: { due: string | null }) {
  const { t } = useTranslation();
  const now = useServerNow();
  if (!due) return <Tag style={{ marginInlineEnd: 0 }}>{t('escalation.pending')}</Tag>;
  const left = Date.parse(due) - now;
  return (
    <span>
      <Tag color={left < 0 ? 'error' : 'warning'} className="ac-tabular" style={{ marginInlineEnd: 6 }}>
        {countdownText(left < 0 ? 'breached' : 'warning', left, t)}
      </Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('escalation.ackDue')} <DateTime value={due} />
      </Typography.Text>
    </span>
  );
}
