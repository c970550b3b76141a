// 二次复核: the second review of an unsatisfied complaint or a twice-reopened ticket (staff only; the server never sends
// it to a customer). Pending: who may record it; recorded: by whom, the verdict, the finding and what follows.
import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';

export function SecondReviewCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const r = ticket.secondReview;
  if (!r) return null;
  const pending = r.status === 'pending';
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <SafetyCertificateOutlined />
          {t('secondReview.title')}
        </Flex>
      }
      extra={
        <Tag color={pending ? 'purple' : r.verdict === 'service_failure' ? 'red' : 'green'} style={{ marginInlineEnd: 0 }} data-testid="second-review-status">
          {pending ? t('secondReview.pending') : t('secondReview.done')}
        </Tag>
      }
      data-testid="second-review-card"
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'reason', label: t('secondReview.reasonLabel'), children: t(`secondReview.reason.${r.reason}`) },
          { key: 'requested', label: t('secondReview.requestedAt'), children: <DateTime value={r.requestedAt} /> },
          ...(pending
            ? [{ key: 'hint', label: t('secondReview.who'), children: <Typography.Text type="secondary">{t('secondReview.pendingHint')}</Typography.Text> }]
            : [
                {
                  key: 'by',
                  label: t('secondReview.reviewer'),
                  children: (
                    <span data-testid="second-review-by">
                      {r.reviewer?.name ?? '—'}
                      {r.reviewedAt && (
                        <Typography.Text type="secondary">
                          {' · '}
                          <DateTime value={r.reviewedAt} />
                        </Typography.Text>
                      )}
                    </span>
                  ),
                },
                { key: 'verdict', label: t('secondReview.verdictLabel'), children: r.verdict ? t(`secondReview.verdict.${r.verdict}`) : '—' },
                {
                  key: 'finding',
                  label: t('secondReview.finding'),
                  children: (
                    <span className="ac-pre" data-testid="second-review-finding">
                      {r.finding}
                    </span>
                  ),
                },
                ...(r.nextSteps ? [{ key: 'next', label: t('secondReview.nextSteps'), children: <span className="ac-pre">{r.nextSteps}</span> }] : []),
              ]),
        ]}
      />
    </Card>
  );
}
