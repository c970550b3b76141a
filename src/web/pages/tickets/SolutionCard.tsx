// 解决方案: the submitted solution, where it is in review, and the improvement deadline after a dissatisfied customer.
import { Alert, Card, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { countdownText, owedImprovement } from '../../components/sla/clocks.js';
import { useServerNow } from '../../components/sla/time.js';

export function SolutionCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  // The deadline stays on the ticket once the improved solution is in; it is owed only while the ticket is worked again.
  const owed = owedImprovement(ticket);
  if (!ticket.solution && !owed) return null;
  return (
    <Card
      size="small"
      title={t('solution.title')}
      extra={
        ticket.reviewStage && ticket.status === 'pending_review' ? (
          <Tag color="purple" style={{ marginInlineEnd: 0 }} data-testid="review-stage">
            {t('solution.awaiting', { stage: t(`actions.review.stage.${ticket.reviewStage}`) })}
          </Tag>
        ) : undefined
      }
      data-testid="solution-card"
    >
      <Flex vertical gap={10}>
        {owed ? <ImprovementAlert due={owed} /> : null}
        {ticket.solution ? (
          <Typography.Paragraph className="ac-pre" style={{ marginBottom: 0 }} data-testid="solution-text">
            {ticket.solution}
          </Typography.Paragraph>
        ) : (
          <Typography.Text type="secondary">{t('solution.none')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

function ImprovementAlert({ due }: { due: string }) {
  const { t } = useTranslation();
  const now = useServerNow();
  const left = Date.parse(due) - now;
  return (
    <Alert
      type={left < 0 ? 'error' : 'warning'}
      showIcon
      data-testid="improvement-due"
      title={
        <span>
          {t('solution.improvementDue')} <DateTime value={due} />
          {' · '}
          <span className="ac-tabular">{countdownText(left < 0 ? 'breached' : 'warning', left, t)}</span>
        </span>
      }
    />
  );
}
