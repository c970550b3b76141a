// The open follow-up calls (回访) that low answers opened, soonest deadline first: the ticket, why, the deadline with
// its state (in time, due soon, overdue), who handled the ticket, and — for supervisors, managers, directors and
// admins — the outcome recorded in place (the same form as on the ticket's 满意度 card). QA reads.
import { useState } from 'react';
import { Link } from 'react-router';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SurveyFollowUp } from '../../../shared/surveys.js';
import { surveyApi } from '../../api/endpoints.js';
import { canCloseFollowUps } from '../../app/adminAccess.js';
import { useCurrentUser } from '../../app/auth.js';
import { DateTime } from '../../components/DateTime.js';
import { FollowUpCloseForm } from '../../components/FollowUpCloseForm.js';
import { FOLLOW_UP_STATE_COLOR } from '../../components/surveyLabels.js';
import { LoadError } from '../admin/SettingsList.js';

export function FollowUpsCard({ departmentId }: { departmentId: number | undefined }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const [closing, setClosing] = useState<SurveyFollowUp | null>(null);
  const key = ['reports', 'satisfaction', 'follow-ups', departmentId ?? null] as const;
  const list = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => surveyApi.followUps({ status: 'open', departmentId, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const canClose = canCloseFollowUps(user.role);

  const columns: ColumnsType<SurveyFollowUp> = [
    {
      title: t('satisfaction.answers.ticket'),
      key: 'ticket',
      width: 240,
      render: (_: unknown, f) => (
        <Link to={`/tickets/${f.ticketNumber}`} data-testid="follow-up-ticket">
          <span className="ac-number">{f.ticketNumber}</span>
          <div className="ac-ticket-excerpt">{f.ticketTitle}</div>
        </Link>
      ),
    },
    {
      title: t('survey.followUp.reason'),
      key: 'why',
      width: 170,
      render: (_: unknown, f) => (
        <Space direction="vertical" size={2}>
          <span>
            {t('survey.scoreOf', { score: f.score })} · NPS {f.nps}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {f.reasons.map((r) => t(`survey.followUp.reasons.${r}`)).join(t('common.listSeparator'))}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('survey.comment'), dataIndex: 'comment', width: 300, render: (v: string | null) => <span className="ac-pre">{v ?? '—'}</span> },
    {
      title: t('survey.followUp.dueAt'),
      key: 'due',
      width: 170,
      render: (_: unknown, f) => (
        <Space direction="vertical" size={2}>
          <DateTime value={f.dueAt} />
          <Space size={4}>
            <Tag color={FOLLOW_UP_STATE_COLOR[f.state]} style={{ marginInlineEnd: 0 }} data-testid="follow-up-row-state">
              {t(`survey.followUp.state.${f.state}`)}
            </Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <DateTime value={f.dueAt} relative />
            </Typography.Text>
          </Space>
        </Space>
      ),
    },
    { title: t('satisfaction.followUps.assignee'), key: 'assignee', width: 110, render: (_: unknown, f) => f.ticketAssignee?.name ?? <span className="ac-muted">—</span> },
    ...(canClose
      ? [
          {
            title: t('satisfaction.followUps.action'),
            key: 'action',
            width: 130,
            render: (_: unknown, f: SurveyFollowUp) => (
              <Button size="small" icon={<PhoneOutlined />} onClick={() => setClosing(f)} data-testid={`follow-up-record-${f.id}`}>
                {t('satisfaction.followUps.record')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const onClosed = async () => {
    setClosing(null);
    await qc.invalidateQueries({ queryKey: ['reports', 'satisfaction', 'follow-ups'] });
  };

  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <PhoneOutlined />
          {t('satisfaction.followUps.title')}
        </Space>
      }
      style={{ marginBottom: 16 }}
      data-testid="follow-ups-card"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('satisfaction.followUps.hint')}
      </Typography.Paragraph>
      <LoadError error={list.error} />
      <Table<SurveyFollowUp>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={list.isFetching}
        pagination={false}
        scroll={{ x: 1120 }}
        locale={{ emptyText: t('satisfaction.followUps.empty') }}
        data-testid="follow-ups-table"
      />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      <Modal open={closing !== null} title={closing ? t('satisfaction.followUps.recordTitle', { number: closing.ticketNumber }) : ''} footer={null} onCancel={() => setClosing(null)} destroyOnHidden>
        {closing && (
          <>
            <Typography.Paragraph type="secondary" className="ac-pre">
              {closing.comment ?? '—'}
            </Typography.Paragraph>
            {closing.verdictRequired && <Typography.Paragraph>{t('survey.followUp.partOfSecondReview')}</Typography.Paragraph>}
            <FollowUpCloseForm followUp={closing} onClosed={onClosed} compact={false} />
          </>
        )}
      </Modal>
    </Card>
  );
}
