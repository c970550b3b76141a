import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Form } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import type { Ticket } from '../../api/types.js';
import { DepartmentSelect, UserSelect } from '../../components/selects.js';
import { useTicketUpdated } from './ticketCache.js';

/** Department + assignee, saved together with PATCH (version-checked). */
/** `readOnly`: the department and assignee are shown, not offered for change (QA reads but never writes). */
export function AssignmentCard({ ticket, readOnly = false }: { ticket: Ticket; readOnly?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const updated = useTicketUpdated(ticket.number);
  const [departmentId, setDepartmentId] = useState<number | null>(ticket.departmentId);
  const [assigneeId, setAssigneeId] = useState<number | null>(ticket.assignee?.id ?? null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Follow the ticket while the user hasn't started changing the assignment.
  useEffect(() => {
    if (dirty) return;
    setDepartmentId(ticket.departmentId);
    setAssigneeId(ticket.assignee?.id ?? null);
  }, [ticket.departmentId, ticket.assignee?.id, dirty]);

  const save = async (dep: number | null, assignee: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const res = await ticketApi.patch(ticket.number, { departmentId: dep, assigneeId: assignee, version: ticket.version });
      updated(res);
      setDirty(false);
      void message.success(t('ticket.assignmentSaved'));
    } catch (err) {
      if (isApiError(err) && err.code === 'stale_version') {
        updated();
        setError(t('errors.staleVersion'));
      } else if (isApiError(err) && err.fields) {
        setError(Object.values(err.fields).join(t('common.listSeparator')));
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const assignToMe = () => {
    // Taking a ticket moves it to my department (if I have one).
    const dep = me.departmentId ?? departmentId;
    setDepartmentId(dep);
    setAssigneeId(me.id);
    setDirty(true);
    void save(dep, me.id);
  };

  // The current assignee may be outside the chosen department's list; keep their name visible.
  const currentAssigneeOption = useMemo(
    () =>
      ticket.assignee && assigneeId === ticket.assignee.id ? [{ value: ticket.assignee.id, label: ticket.assignee.name }] : [],
    [ticket.assignee, assigneeId],
  );

  const unchanged = departmentId === ticket.departmentId && assigneeId === (ticket.assignee?.id ?? null);

  return (
    <Card
      title={t('ticket.assignment')}
      size="small"
      extra={
        ticket.assignee?.id !== me.id && !readOnly ? (
          <Button size="small" type="link" icon={<UserAddOutlined />} onClick={assignToMe} disabled={busy} data-testid="assign-me">
            {t('ticket.assignToMe')}
          </Button>
        ) : undefined
      }
      data-testid="assignment-card"
    >
      <Form layout="vertical" size="middle">
        <Form.Item label={t('field.department')} style={{ marginBottom: 12 }}>
          <DepartmentSelect
            allowClear
            disabled={readOnly}
            value={departmentId ?? undefined}
            onChange={(v) => {
              setDepartmentId(v ?? null);
              setAssigneeId(null);
              setDirty(true);
            }}
            aria-label={t('field.department')}
            data-testid="assign-department"
          />
        </Form.Item>
        <Form.Item label={t('field.assignee')} style={{ marginBottom: 12 }}>
          <UserSelect
            allowClear
            disabled={readOnly}
            departmentId={departmentId}
            value={assigneeId ?? undefined}
            extraOptions={currentAssigneeOption}
            placeholder={t('ticket.unassigned')}
            onChange={(v) => {
              setAssigneeId(typeof v === 'number' ? v : null);
              setDirty(true);
            }}
            aria-label={t('field.assignee')}
            data-testid="assign-user"
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {!readOnly && <Flex justify="end" gap={8}>
          {dirty && (
            <Button
              onClick={() => {
                setDirty(false);
                setError(null);
              }}
              disabled={busy}
            >
              {t('common.cancel')}
            </Button>
          )}
          <Button
            type="primary"
            disabled={unchanged}
            loading={busy}
            onClick={() => void save(departmentId, assigneeId)}
            data-testid="assign-save"
          >
            {t('ticket.saveAssignment')}
          </Button>
        </Flex>}
      </Form>
    </Card>
  );
}
