import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Space, Switch, Tooltip, Typography } from 'antd';
import { LockOutlined, SendOutlined } from '@ant-design/icons';
import type { TextAreaRef } from 'antd/es/input/TextArea.js';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';

/** Public reply (visible to the customer) or internal note (内部备注), chosen with a switch. */
export function ReplyBox({ number, insert }: { number: string; insert?: { text: string; seq: number } | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<TextAreaRef | null>(null);

  // Text handed in from beside the box (a suggested article): added to what is typed, as a public reply.
  useEffect(() => {
    if (!insert) return;
    setBody((b) => (b.trim() ? `${b.trimEnd()}\n\n${insert.text}` : insert.text));
    setInternal(false);
    setError(null);
    input.current?.focus();
  }, [insert]);

  const submit = async () => {
    if (!body.trim()) {
      setError(t('ticket.replyEmpty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await ticketApi.addComment(number, { body, internal });
      setBody('');
      void message.success(internal ? t('ticket.noteAdded') : t('ticket.replySent'));
      void queryClient.invalidateQueries({ queryKey: qk.comments(number) });
      void queryClient.invalidateQueries({ queryKey: qk.events(number) });
      void queryClient.invalidateQueries({ queryKey: qk.ticket(number), exact: true });
    } catch (err) {
      setError(isApiError(err) && err.fields?.body ? err.fields.body : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={internal ? 'ac-internal-box' : undefined} data-testid="reply-box">
      <Form.Item validateStatus={error ? 'error' : undefined} help={error ?? undefined} style={{ marginBottom: 8 }}>
        <Input.TextArea
          ref={input}
          value={body}
          onChange={(e) => {
            setBody(e.target.value);
            if (error) setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
          autoSize={{ minRows: 3, maxRows: 10 }}
          maxLength={20000}
          placeholder={internal ? t('ticket.notePlaceholder') : t('ticket.replyPlaceholder')}
          data-testid="note-input"
          aria-label={internal ? t('ticket.internalNote') : t('ticket.publicReply')}
        />
      </Form.Item>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space size={8}>
          <Switch
            checked={internal}
            onChange={setInternal}
            checkedChildren={<><LockOutlined /> {t('ticket.internalNote')}</>}
            unCheckedChildren={t('ticket.publicReply')}
            aria-label={t('ticket.internalNote')}
            data-testid="internal-switch"
          />
          <Typography.Text type={internal ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
            {internal ? t('ticket.internalHint') : t('ticket.publicHint')}
          </Typography.Text>
        </Space>
        <Tooltip title={t('ticket.ctrlEnter')}>
          <Button type="primary" icon={internal ? <LockOutlined /> : <SendOutlined />} loading={busy} onClick={() => void submit()} data-testid="submit-note">
            {internal ? t('ticket.addNote') : t('ticket.sendReply')}
          </Button>
        </Tooltip>
      </Flex>
    </div>
  );
}
