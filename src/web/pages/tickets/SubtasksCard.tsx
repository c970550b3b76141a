// 协作子任务: work another department does for this ticket (a part shipped by Logistics, a test by Quality).
// The ticket's owner adds them; the owner of a sub-task (or the ticket's owner) marks it done or cancels it.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, CloseOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { isApiError } from '../../api/client.js';
import { ticketApi } from '../../api/endpoints.js';
import { qk, useDepartments } from '../../api/queries.js';
import type { Subtask, Ticket } from '../../api/types.js';
import { DATE_TIME_FORMAT, DateTime } from '../../components/DateTime.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { DepartmentSelect, UserSelect } from '../../components/selects.js';
import { useServerNow } from '../../components/sla/time.js';

const STATUS_COLORS: Record<Subtask['status'], string> = { open: 'processing', done: 'success', cancelled: 'default' };
const MANAGING_ROLES = new Set(['supervisor', 'manager', 'director', 'admin']);

export function SubtasksCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const [adding, setAdding] = useState(false);
  const [busyId, setBusyId] = useState<number | null>(null);
  const subtasks = useQuery({ queryKey: qk.subtasks(ticket.number), queryFn: () => ticketApi.subtasks(ticket.number) });
  const items = subtasks.data?.items ?? [];
  const canAdd = (ticket.allowedActions ?? []).includes('add_subtask');

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: qk.subtasks(ticket.number) });
    void queryClient.invalidateQueries({ queryKey: qk.events(ticket.number) });
    void queryClient.invalidateQueries({ queryKey: qk.ticket(ticket.number), exact: true });
  };

  const setStatus = async (st: Subtask, status: 'done' | 'cancelled') => {
    setBusyId(st.id);
    try {
      await ticketApi.patchSubtask(st.id, { status, version: st.version });
      void message.success(t(status === 'done' ? 'subtasks.markedDone' : 'subtasks.cancelled'));
    } catch (err) {
      void message.error(isApiError(err) && err.code === 'stale_version' ? t('subtasks.stale') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusyId(null);
      refresh();
    }
  };

  const mayChange = (st: Subtask) =>
    st.status === 'open' &&
    (canAdd || st.owner?.id === me.id || ticket.assignee?.id === me.id || (MANAGING_ROLES.has(me.role) && (me.departmentId === st.departmentId || me.role === 'director' || me.role === 'admin')));

  const columns: ColumnsType<Subtask> = [
    {
      title: t('subtasks.task'),
      dataIndex: 'title',
      render: (title: string, st) => (
        <div style={{ minWidth: 160 }}>
          <Typography.Text delete={st.status === 'cancelled'}>{title}</Typography.Text>
          {st.note && <div className="ac-hint ac-pre">{st.note}</div>}
        </div>
      ),
    },
    {
      title: t('field.department'),
      dataIndex: 'departmentId',
      width: 110,
      render: (id: number) => departments.byId.get(id)?.name ?? `#${id}`,
    },
    {
      title: t('subtasks.owner'),
      dataIndex: 'owner',
      width: 100,
      render: (o: Subtask['owner']) => o?.name ?? <Typography.Text type="warning">{t('ticket.unassigned')}</Typography.Text>,
    },
    { title: t('subtasks.due'), key: 'due', width: 150, render: (_: unknown, st) => <SubtaskDue subtask={st} /> },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 96,
      render: (s: Subtask['status'], st) => (
        <Tag color={STATUS_COLORS[s]} style={{ marginInlineEnd: 0 }} data-testid={`subtask-status-${st.id}`}>
          {t(`subtasks.status.${s}`)}
        </Tag>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 150,
      render: (_: unknown, st) =>
        mayChange(st) ? (
          <Space size={4}>
            <Button size="small" icon={<CheckOutlined />} loading={busyId === st.id} onClick={() => void setStatus(st, 'done')} data-testid={`subtask-done-${st.id}`}>
              {t('subtasks.done')}
            </Button>
            <Popconfirm title={t('subtasks.cancelConfirm')} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => void setStatus(st, 'cancelled')}>
              <Button size="small" type="text" danger icon={<CloseOutlined />} disabled={busyId === st.id} aria-label={t('subtasks.cancel')}>
                {t('subtasks.cancel')}
              </Button>
            </Popconfirm>
          </Space>
        ) : st.doneAt ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <DateTime value={st.doneAt} relative />
          </Typography.Text>
        ) : null,
    },
  ];

  const open = items.filter((s) => s.status === 'open').length;
  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <span>{t('subtasks.title')}</span>
          {items.length > 0 && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              {t('subtasks.summary', { open, total: items.length })}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        canAdd && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="subtask-add">
            {t('subtasks.add')}
          </Button>
        )
      }
      data-testid="subtasks-card"
    >
      {subtasks.isError ? (
        <Alert
          type="error"
          showIcon
          title={t('errors.loadFailed')}
          description={subtasks.error.message}
          action={
            <Button size="small" onClick={() => void subtasks.refetch()}>
              {t('common.retry')}
            </Button>
          }
        />
      ) : (
        <Table<Subtask>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          loading={subtasks.isLoading}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('subtasks.empty')}</Typography.Text> }}
        />
      )}
      {adding && (
        <AddSubtaskModal
          number={ticket.number}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            refresh();
          }}
        />
      )}
    </Card>
  );
}

function SubtaskDue({ subtask }: { subtask: Subtask }) {
  const now = useServerNow();
  if (!subtask.dueAt) return <span className="ac-muted">—</span>;
  const overdue = subtask.status === 'open' && (subtask.overdue || Date.parse(subtask.dueAt) < now);
  return (
    <Typography.Text type={overdue ? 'danger' : undefined} strong={overdue} data-overdue={overdue ? 'true' : 'false'}>
      <DateTime value={subtask.dueAt} />
    </Typography.Text>
  );
}

interface AddValues {
  departmentId?: number;
  ownerId?: number;
  title?: string;
  dueAt?: Dayjs | null;
}

function AddSubtaskModal({ number, onClose, onAdded }: { number: string; onClose: () => void; onAdded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const departmentId = Form.useWatch('departmentId', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    let v: AddValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await ticketApi.addSubtask(number, {
        departmentId: v.departmentId!,
        ownerId: v.ownerId ?? null,
        title: v.title!.trim(),
        dueAt: v.dueAt ? v.dueAt.toISOString() : null,
      });
      void message.success(t('subtasks.added'));
      onAdded();
    } catch (err) {
      const placed = applyServerErrors(form, err);
      if (placed.applied === 0) setError(placed.unplaced.map((u) => u.message).join(t('common.listSeparator')) || (err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('subtasks.addTitle')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'subtask-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark="optional">
        <Form.Item name="departmentId" label={t('field.department')} rules={[{ required: true, message: t('validation.required', { field: t('field.department') }) }]}>
          <DepartmentSelect onChange={() => form.setFieldValue('ownerId', undefined)} data-testid="subtask-department" />
        </Form.Item>
        <Form.Item name="ownerId" label={t('subtasks.owner')} extra={!departmentId ? t('intake.assigneeNeedsDepartment') : undefined}>
          <UserSelect allowClear departmentId={departmentId ?? null} disabled={!departmentId} data-testid="subtask-owner" />
        </Form.Item>
        <Form.Item name="title" label={t('subtasks.task')} rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('subtasks.task') }) }]}>
          <Input maxLength={200} placeholder={t('subtasks.taskPlaceholder')} data-testid="subtask-title" />
        </Form.Item>
        <Form.Item name="dueAt" label={t('subtasks.due')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} style={{ width: '100%' }} data-testid="subtask-due" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
