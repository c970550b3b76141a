// 满意度: the ticket's satisfaction survey for staff — sent (with the signed link to copy or send), answered (score,
// NPS, comment and the extra questions in the words of the form version answered), and the follow-up call (回访) a
// low answer opened, with its deadline and the form that closes it. Staff only; the customer answers in the portal.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Input, Rate, Space, Tag, Typography } from 'antd';
import { CopyOutlined, PhoneOutlined, SendOutlined, StarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/enums.js';
import type { SurveyFollowUp, SurveyQuestion, TicketSurvey } from '../../../shared/surveys.js';
import { useCurrentUser } from '../../app/auth.js';
import { surveyApi } from '../../api/endpoints.js';
import type { Ticket } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { FollowUpCloseForm } from '../../components/FollowUpCloseForm.js';
import { FOLLOW_UP_STATE_COLOR, NPS_GROUP_COLOR, npsGroup } from '../../components/surveyLabels.js';
import { canCloseFollowUps } from '../../app/adminAccess.js';

export const surveyKey = (number: string) => ['ticket', number, 'survey'] as const;

/** A question's or option's label in the console's language (both are required when the admin saves the form). */
function labelIn(lang: string, l: { 'zh-CN': string; en: string }): string {
  return (lang.startsWith('en') ? l.en : l['zh-CN']) || l['zh-CN'] || l.en;
}

function answerText(q: SurveyQuestion, v: string | number | undefined, lang: string): string {
  if (v === undefined || v === '') return '—';
  if (q.type === 'choice') {
    const o = q.options.find((x) => x.value === v);
    return o ? labelIn(lang, o.label) : String(v);
  }
  if (q.type === 'scale') return `${v} / ${q.max ?? 10}`;
  return String(v);
}

export function SurveyCard({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const { message } = App.useApp();
  const qc = useQueryClient();
  const user = useCurrentUser();
  const survey = useQuery({ queryKey: surveyKey(ticket.number), queryFn: () => surveyApi.ofTicket(ticket.number) });
  const send = useMutation({
    mutationFn: () => surveyApi.send(ticket.number),
    onSuccess: (s) => qc.setQueryData(surveyKey(ticket.number), { survey: s }),
    onError: (e: Error) => void message.error(e.message),
  });
  const s = survey.data?.survey ?? null;
  // Nothing to show on an open ticket that never closed: the survey goes out when it does.
  if (!s && ticket.status !== 'closed' && !survey.isError) return null;

  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      void message.success(t('survey.copied'));
    } catch {
      // No clipboard (an insecure origin): the link stays selectable in the field.
      void message.info(t('survey.copyManually'));
    }
  };

  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <StarOutlined />
          {t('survey.title')}
        </Flex>
      }
      extra={s && <Tag color={s.status === 'answered' ? 'gold' : 'default'} style={{ marginInlineEnd: 0 }} data-testid="survey-status">{t(`survey.status.${s.status}`)}</Tag>}
      data-testid="survey-card"
    >
      {survey.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={survey.error.message} />}
      {!s && !survey.isError && (
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('survey.notSent')}</Typography.Text>
          {user.role !== 'qa' && (
            <Button icon={<SendOutlined />} loading={send.isPending} onClick={() => send.mutate()} data-testid="survey-send">
              {t('survey.send')}
            </Button>
          )}
        </Space>
      )}
      {s && <SurveyBody survey={s} lang={lang} onCopy={copy} />}
      {s?.followUp && <FollowUpSection followUp={s.followUp} ticket={ticket} canClose={canCloseFollowUps(user.role)} />}
    </Card>
  );
}

function SurveyBody({ survey: s, lang, onCopy }: { survey: TicketSurvey; lang: string; onCopy: (link: string) => void }) {
  const { t } = useTranslation();
  const sent = (
    <span>
      <DateTime value={s.sentAt} /> · {t(`survey.source.${s.source}`)}
      {s.sentBy ? ` · ${s.sentBy.name}` : ''}
    </span>
  );
  if (!s.answer) {
    return (
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        <Descriptions size="small" column={1} items={[{ key: 'sent', label: t('survey.sentAt'), children: sent }]} />
        {s.link && (
          <>
            <Space.Compact style={{ width: '100%' }}>
              <Input readOnly value={s.link} aria-label={t('survey.link')} data-testid="survey-link" onFocus={(e) => e.currentTarget.select()} />
              <Button icon={<CopyOutlined />} onClick={() => onCopy(s.link!)} data-testid="survey-copy">
                {t('survey.copy')}
              </Button>
            </Space.Compact>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('survey.linkHint')} {s.linkExpiresAt && <>{t('survey.linkExpires')} <DateTime value={s.linkExpiresAt} /></>}
            </Typography.Text>
          </>
        )}
      </Space>
    );
  }
  const a = s.answer;
  const group = npsGroup(a.nps);
  return (
    <Descriptions
      size="small"
      column={1}
      items={[
        {
          key: 'score',
          label: t('survey.score'),
          children: (
            <Space size={8} data-testid="survey-score">
              <Rate disabled value={a.score} count={5} style={{ fontSize: 14 }} aria-label={t('survey.scoreOf', { score: a.score })} />
              <span>{t('survey.scoreOf', { score: a.score })}</span>
            </Space>
          ),
        },
        {
          key: 'nps',
          label: t('survey.nps'),
          children: (
            <Space size={8} data-testid="survey-nps">
              <span>{a.nps} / 10</span>
              <Tag color={NPS_GROUP_COLOR[group]}>{t(`survey.npsGroup.${group}`)}</Tag>
            </Space>
          ),
        },
        { key: 'comment', label: t('survey.comment'), children: <span className="ac-pre" data-testid="survey-comment">{a.comment ?? '—'}</span> },
        ...s.form.questions.map((q) => ({ key: `q-${q.id}`, label: labelIn(lang, q.label), children: <span className="ac-pre">{answerText(q, a.answers[q.id], lang)}</span> })),
        {
          key: 'answered',
          label: t('survey.answeredAt'),
          children: (
            <span>
              <DateTime value={a.answeredAt} /> · {t(`survey.via.${s.answeredVia ?? 'link'}`)} · {t('survey.formVersion', { version: s.form.version })}
            </span>
          ),
        },
        { key: 'sent', label: t('survey.sentAt'), children: sent },
      ]}
    />
  );
}

function FollowUpSection({ followUp: f, ticket, canClose }: { followUp: SurveyFollowUp; ticket: Ticket; canClose: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onClosed = () => Promise.all([qc.invalidateQueries({ queryKey: surveyKey(ticket.number) }), qc.invalidateQueries({ queryKey: ['ticket', ticket.number] })]);
  const open = f.closedAt === null;
  return (
    <div className="ac-survey-follow-up" data-testid="survey-follow-up">
      <Flex gap={8} align="center" wrap style={{ margin: '12px 0 8px' }}>
        <PhoneOutlined />
        <Typography.Text strong>{t('survey.followUp.title')}</Typography.Text>
        <Tag color={FOLLOW_UP_STATE_COLOR[f.state]} data-testid="follow-up-state">{t(`survey.followUp.state.${f.state}`)}</Tag>
      </Flex>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'why', label: t('survey.followUp.reason'), children: f.reasons.map((r) => t(`survey.followUp.reasons.${r}`)).join(t('common.listSeparator')) },
          { key: 'due', label: t('survey.followUp.dueAt'), children: <span data-testid="follow-up-due"><DateTime value={f.dueAt} /></span> },
          ...(f.secondReviewId !== null ? [{ key: 'sr', label: t('secondReview.title'), children: t('survey.followUp.partOfSecondReview') }] : []),
          ...(!open
            ? [
                { key: 'outcome', label: t('survey.followUp.outcome'), children: f.outcome ? t(`survey.outcome.${f.outcome}`) : '—' },
                { key: 'finding', label: t('survey.followUp.finding'), children: <span className="ac-pre" data-testid="follow-up-finding">{f.finding}</span> },
                {
                  key: 'closed',
                  label: t('survey.followUp.closedAt'),
                  children: (
                    <span>
                      <DateTime value={f.closedAt!} />
                      {f.closedBy ? ` · ${f.closedBy.name}` : ''}
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {open && canClose && <FollowUpCloseForm followUp={f} onClosed={onClosed} />}
    </div>
  );
}
