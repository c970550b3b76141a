// The service-promise actions the server allows on this ticket now (allowedActions): submit a solution, review it,
// record the customer's confirmation, escalate, acknowledge an escalation, follow up. Each opens a small form.
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { AlertOutlined, AuditOutlined, CheckCircleOutlined, FileDoneOutlined, LikeOutlined, PhoneOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import type { Ticket, TicketAction } from '../../api/types.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { useTicketUpdated } from './ticketCache.js';

type ModalAction = Exclude<TicketAction, 'add_subtask'>;

/** Actions shown as header buttons, in this order (acknowledge lives on the escalation card, sub-tasks in their section). */
const HEADER_ACTIONS: ModalAction[] = ['submit_solution', 'review', 'confirm', 'second_review', 'follow_up', 'escalate'];

const ICONS: Record<ModalAction, ReactNode> = {
  submit_solution: <FileDoneOutlined />,
  review: <AuditOutlined />,
  confirm: <LikeOutlined />,
  follow_up: <PhoneOutlined />,
  escalate: <AlertOutlined />,
  acknowledge: <CheckCircleOutlined />,
  second_review: <SafetyCertificateOutlined />,
};

export function WorkflowActions({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ModalAction | null>(null);
  const allowed = new Set(ticket.allowedActions ?? []);
  const actions = HEADER_ACTIONS.filter((a) => allowed.has(a));
  if (actions.length === 0) return null;
  return (
    <>
      <Space wrap data-testid="workflow-actions">
        {actions.map((a) => (
          <Button
            key={a}
            icon={ICONS[a]}
            type={a === 'submit_solution' || a === 'review' || a === 'confirm' || a === 'second_review' ? 'primary' : 'default'}
            danger={a === 'escalate'}
            onClick={() => setOpen(a)}
            data-testid={`action-${a}`}
          >
            {t(`actions.${a}.button`)}
          </Button>
        ))}
      </Space>
      {open && <ActionModal action={open} ticket={ticket} onClose={() => setOpen(null)} />}
    </>
  );
}

/** 确认 on the escalation card. */
export function AcknowledgeButton({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="primary" size="small" icon={ICONS.acknowledge} onClick={() => setOpen(true)} data-testid="action-acknowledge">
        {t('actions.acknowledge.button')}
      </Button>
      {open && <ActionModal action="acknowledge" ticket={ticket} onClose={() => setOpen(false)} />}
    </>
  );
}

interface Values {
  solution?: string;
  overrideReason?: string;
  approve?: boolean;
  comment?: string;
  satisfied?: boolean;
  customerWords?: string;
  reason?: string;
  note?: string;
  verdict?: 'upheld' | 'service_failure';
  finding?: string;
  nextSteps?: string;
}

const trimmed = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

function ActionModal({ action, ticket, onClose }: { action: ModalAction; ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const updated = useTicketUpdated(ticket.number);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Set when the server refused a solution because collaborating departments' sub-tasks are still open. */
  const [conflict, setConflict] = useState<string | null>(null);
  const approve = Form.useWatch('approve', form);
  const satisfied = Form.useWatch('satisfied', form);

  const send = (v: Values): Promise<Ticket> => {
    const n = ticket.number;
    switch (action) {
      case 'submit_solution':
        return ticketApi.submitSolution(n, { solution: v.solution!.trim(), overrideReason: conflict ? trimmed(v.overrideReason) : undefined });
      case 'review':
        return ticketApi.review(n, { approve: v.approve!, comment: trimmed(v.comment) });
      case 'confirm':
        return ticketApi.confirm(n, { satisfied: v.satisfied!, customerWords: trimmed(v.customerWords) });
      case 'escalate':
        return ticketApi.escalate(n, { reason: v.reason!.trim() });
      case 'acknowledge':
        return ticketApi.acknowledge(n, { note: trimmed(v.note) });
      case 'follow_up':
        return ticketApi.followUp(n, { note: v.note!.trim() });
      case 'second_review':
        return ticketApi.secondReview(n, { verdict: v.verdict!, finding: v.finding!.trim(), nextSteps: trimmed(v.nextSteps) });
    }
  };

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await send(values);
      updated(res);
      void message.success(t(`actions.${action}.done`));
      onClose();
    } catch (err) {
      if (action === 'submit_solution' && isApiError(err) && err.status === 409 && err.code === 'conflict' && !conflict) {
        setConflict(err.message);
      } else {
        const placed = applyServerErrors(form, err);
        if (placed.applied === 0) {
          setError(placed.unplaced.length ? placed.unplaced.map((u) => u.message).join(t('common.listSeparator')) : err instanceof Error ? err.message : String(err));
        }
        // The ticket may have moved on (someone else reviewed it, …): show its current state behind the dialog.
        if (isApiError(err) && (err.status === 409 || err.status === 403)) updated();
      }
    } finally {
      setBusy(false);
    }
  };

  const required = (label: string) => [{ required: true, whitespace: true, message: t('validation.required', { field: label }) }];
  const textArea = (name: keyof Values, label: string, opts: { required?: boolean; placeholder?: string; rows?: number; max?: number; testId: string; extra?: ReactNode }) => (
    <Form.Item name={name} label={label} rules={opts.required ? required(label) : []} extra={opts.extra}>
      <Input.TextArea
        autoSize={{ minRows: opts.rows ?? 3, maxRows: 12 }}
        maxLength={opts.max ?? 5000}
        showCount
        placeholder={opts.placeholder}
        data-testid={opts.testId}
      />
    </Form.Item>
  );

  let body: ReactNode;
  let initial: Values = {};
  switch (action) {
    case 'submit_solution':
      initial = { solution: ticket.solution ?? '' };
      body = (
        <>
          {textArea('solution', t('actions.submit_solution.solution'), {
            required: true,
            rows: 6,
            max: 10_000,
            placeholder: t('actions.submit_solution.placeholder'),
            testId: 'solution-input',
            extra: t('actions.submit_solution.hint'),
          })}
          {conflict && (
            <>
              <Alert type="warning" showIcon title={conflict} description={t('actions.submit_solution.overrideHint')} style={{ marginBottom: 16 }} data-testid="solution-conflict" />
              {textArea('overrideReason', t('actions.submit_solution.overrideReason'), { required: true, rows: 2, max: 500, testId: 'override-reason' })}
            </>
          )}
        </>
      );
      break;
    case 'review':
      initial = { approve: true };
      body = (
        <>
          <Typography.Text type="secondary">{t('actions.review.solution')}</Typography.Text>
          <div className="ac-comment ac-pre" style={{ marginBottom: 16, maxHeight: 240, overflow: 'auto' }} data-testid="review-solution">
            {ticket.solution || t('timeline.emptyValue')}
          </div>
          <Form.Item name="approve" label={t('actions.review.decision')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: true, label: <span data-testid="review-approve">{t('actions.review.approve')}</span> },
                { value: false, label: <span data-testid="review-return">{t('actions.review.return')}</span> },
              ]}
            />
          </Form.Item>
          {textArea('comment', approve === false ? t('actions.review.returnComment') : t('actions.review.comment'), {
            required: approve === false,
            placeholder: approve === false ? t('actions.review.returnPlaceholder') : undefined,
            testId: 'review-comment',
          })}
        </>
      );
      break;
    case 'confirm':
      initial = { satisfied: true };
      body = (
        <>
          <Form.Item name="satisfied" label={t('actions.confirm.question')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: true, label: <span data-testid="confirm-satisfied">{t('actions.confirm.satisfied')}</span> },
                { value: false, label: <span data-testid="confirm-rejected">{t('actions.confirm.notSatisfied')}</span> },
              ]}
            />
          </Form.Item>
          {satisfied === false && (
            <>
              <Alert type="warning" showIcon title={t('actions.confirm.rejectHint')} style={{ marginBottom: 16 }} />
              {textArea('customerWords', t('actions.confirm.customerWords'), {
                required: true,
                placeholder: t('actions.confirm.customerWordsPlaceholder'),
                testId: 'customer-words',
              })}
            </>
          )}
          {satisfied !== false && <Typography.Paragraph type="secondary">{t('actions.confirm.satisfiedHint')}</Typography.Paragraph>}
        </>
      );
      break;
    case 'escalate':
      body = (
        <>
          <Typography.Paragraph type="secondary">
            {ticket.escalation.level >= 1 ? t('actions.escalate.hintDirector') : t('actions.escalate.hintManager')}
          </Typography.Paragraph>
          {textArea('reason', t('actions.escalate.reason'), { required: true, max: 2000, placeholder: t('actions.escalate.placeholder'), testId: 'escalate-reason' })}
        </>
      );
      break;
    case 'acknowledge':
      body = (
        <>
          <Typography.Paragraph type="secondary">{t('actions.acknowledge.hint')}</Typography.Paragraph>
          {textArea('note', t('actions.acknowledge.note'), { max: 2000, testId: 'acknowledge-note' })}
        </>
      );
      break;
    case 'follow_up':
      body = textArea('note', t('actions.follow_up.note'), { required: true, placeholder: t('actions.follow_up.placeholder'), testId: 'follow-up-note' });
      break;
    case 'second_review':
      initial = { verdict: 'upheld' };
      body = (
        <>
          <Typography.Paragraph type="secondary">{t('actions.second_review.hint')}</Typography.Paragraph>
          <Form.Item name="verdict" label={t('secondReview.verdictLabel')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'upheld', label: <span data-testid="second-review-upheld">{t('secondReview.verdict.upheld')}</span> },
                { value: 'service_failure', label: <span data-testid="second-review-failure">{t('secondReview.verdict.service_failure')}</span> },
              ]}
            />
          </Form.Item>
          {textArea('finding', t('secondReview.finding'), { required: true, placeholder: t('actions.second_review.findingPlaceholder'), testId: 'second-review-finding-input' })}
          {textArea('nextSteps', t('secondReview.nextStepsOptional'), { rows: 2, max: 2000, placeholder: t('actions.second_review.nextStepsPlaceholder'), testId: 'second-review-next' })}
        </>
      );
      break;
  }

  const stage = action === 'review' && ticket.reviewStage ? ` · ${t(`actions.review.stage.${ticket.reviewStage}`)}` : '';
  return (
    <Modal
      open
      width={560}
      title={`${t(`actions.${action}.title`)}${stage}`}
      okText={action === 'submit_solution' && conflict ? t('actions.submit_solution.submitAnyway') : t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'action-ok', danger: action === 'escalate' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={() => void submit()} requiredMark={false}>
        {body}
        {error && <Alert type="error" showIcon title={error} data-testid="action-error" />}
      </Form>
    </Modal>
  );
}
