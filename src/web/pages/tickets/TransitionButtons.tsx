import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketStatus } from '../../../shared/enums.js';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import type { Ticket, TicketAction } from '../../api/types.js';
import { StatusTag } from '../../components/tags.js';
import { useTicketUpdated } from './ticketCache.js';

/** Primary-looking actions first; destructive ones last. */
const ORDER: TicketStatus[] = [
  'assigned',
  'in_progress',
  'waiting_customer',
  'pending_review',
  'pending_confirmation',
  'closed',
  'reopened',
  'cancelled',
  'new',
];

/**
 * Moves a workflow action makes with its own form and record (the solution text, the review, the customer's words):
 * while the action is offered, the bare status change is not.
 */
const SUPERSEDED: Partial<Record<TicketAction, TicketStatus[]>> = {
  submit_solution: ['pending_review'],
  review: ['pending_confirmation', 'in_progress', 'closed'],
  confirm: ['closed', 'reopened', 'pending_review'],
};

export function visibleTransitions(ticket: Pick<Ticket, 'allowedTransitions' | 'allowedActions'>): TicketStatus[] {
  const hidden = new Set((ticket.allowedActions ?? []).flatMap((a) => SUPERSEDED[a] ?? []));
  return [...(ticket.allowedTransitions ?? [])].filter((to) => !hidden.has(to)).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}

export function TransitionButtons({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const updated = useTicketUpdated(ticket.number);
  const [target, setTarget] = useState<TicketStatus | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const allowed = visibleTransitions(ticket);
  if (allowed.length === 0) return null;

  const open = (to: TicketStatus) => {
    setTarget(to);
    setError(null);
  };

  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const res = await ticketApi.transition(ticket.number, {
        to: target,
        note: note.trim() || undefined,
        version: ticket.version,
      });
      updated(res);
      void message.success(t('ticket.transitioned', { status: t(`status.${target}`) }));
      setTarget(null);
      setNote('');
    } catch (err) {
      if (isApiError(err) && (err.code === 'stale_version' || err.code === 'invalid_transition')) {
        // Someone else moved the ticket: reload it; the note stays in the box.
        updated();
        setError(err.code === 'stale_version' ? t('errors.staleVersionTransition') : err.message);
      } else {
        setError(isApiError(err) && err.fields ? Object.values(err.fields).join(t('common.listSeparator')) : err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Space wrap data-testid="transition-buttons">
        {allowed.map((to, i) => (
          <Button
            key={to}
            type={i === 0 && to !== 'cancelled' ? 'primary' : 'default'}
            danger={to === 'cancelled'}
            onClick={() => open(to)}
            data-testid={`transition-${to}`}
          >
            {t(`transition.${to}`)}
          </Button>
        ))}
      </Space>
      <Modal
        open={target !== null}
        title={target ? t('ticket.transitionTitle', { action: t(`transition.${target}`) }) : ''}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => void submit()}
        onCancel={() => setTarget(null)}
        okButtonProps={{ 'data-testid': 'transition-confirm', danger: target === 'cancelled' }}
        destroyOnHidden
      >
        {target && (
          <Form layout="vertical" onFinish={() => void submit()}>
            <Typography.Paragraph>
              <Space size={6} wrap>
                <StatusTag status={ticket.status} />
                <span>→</span>
                <StatusTag status={target} />
              </Space>
            </Typography.Paragraph>
            <Form.Item
              label={t('ticket.transitionNote')}
              validateStatus={error ? 'error' : undefined}
              help={error ?? undefined}
              style={{ marginBottom: 0 }}
            >
              <Input.TextArea
                autoFocus
                value={note}
                onChange={(e) => setNote(e.target.value)}
                autoSize={{ minRows: 3, maxRows: 8 }}
                maxLength={5000}
                placeholder={t('ticket.transitionNotePlaceholder')}
                data-testid="transition-note"
              />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
