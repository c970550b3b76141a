// 人员与部门: who works the desk (role, department, skills for skill routing, active) and who heads each department
// (first escalation level and reviewer). Deactivated people stay listed, greyed, so they can be reactivated.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Form, Input, Modal, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../shared/enums.js';
import { useCurrentUser } from '../../app/auth.js';
import { directoryApi, refApi } from '../../api/endpoints.js';
import { qk, useDepartments, useUsers } from '../../api/queries.js';
import type { Department, User, UserPatchBody } from '../../api/types.js';
import { DepartmentSelect, EnumSelect, UserSelect } from '../../components/selects.js';
import { AdminGate, useCanEdit, useFormSave, useRowActions } from './common.js';
import { activeColumn, editColumn, LoadError, SettingsHeader } from './SettingsList.js';

/** Customers' portal accounts belong to their customer record; this page is about staff. */
type StaffRole = Exclude<Role, 'customer'>;
const STAFF_ROLES = ROLES.filter((r): r is StaffRole => r !== 'customer');
// Same length rule as the server (UserCreateBody).
// The server also refuses common passwords (domain/password-policy.ts); its message lands on the field.
const MIN_PASSWORD = 10;
const ALL_USERS = ['users'];

interface Filters {
  departmentId?: number;
  role?: StaffRole;
  q?: string;
}

interface FormValues {
  username: string;
  displayName: string;
  role: StaffRole;
  departmentId?: number | null;
  skills: string[];
  password?: string;
  active: boolean;
}

export default function UsersPage() {
  return (
    <AdminGate page="users">
      <Users />
    </AdminGate>
  );
}

function Users() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const me = useCurrentUser();
  const [filters, setFilters] = useState<Filters>({});
  const params = { ...filters, includeInactive: 'true' as const };
  const users = useQuery({ queryKey: qk.users(params), queryFn: () => refApi.users(params) });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const actions = useRowActions(ALL_USERS);

  const columns: ColumnsType<User> = [
    {
      title: t('admin.users.displayName'),
      dataIndex: 'displayName',
      width: 160,
      render: (name: string, u) => (
        <Space size={6} wrap>
          <span style={{ fontWeight: 500 }}>{name}</span>
          {!u.active && <Tag style={{ marginInlineEnd: 0 }}>{t('admin.inactive')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.users.username'), dataIndex: 'username', width: 140, render: (v: string) => <span className="ac-number">{v}</span> },
    { title: t('admin.users.role'), dataIndex: 'role', width: 110, render: (r: Role) => <Tag style={{ marginInlineEnd: 0 }}>{t(`role.${r}`)}</Tag> },
    { title: t('field.department'), dataIndex: 'departmentName', width: 140, render: (v: string | null) => v ?? <span className="ac-muted">—</span> },
    {
      title: t('admin.users.skills'),
      dataIndex: 'skills',
      render: (skills: string[]) =>
        skills.length ? (
          <Space size={4} wrap>
            {skills.map((s) => (
              <Tag key={s} color="purple" style={{ marginInlineEnd: 0 }}>
                {s}
              </Tag>
            ))}
          </Space>
        ) : (
          <span className="ac-muted">—</span>
        ),
    },
    activeColumn<User>(t, {
      canEdit,
      actions,
      id: (u) => u.id,
      toggle: (u, active) => directoryApi.patchUser(u.id, { active }),
      done: [t('admin.users.activated'), t('admin.users.deactivated')],
      testId: (u) => `user-active-${u.username}`,
      lockedReason: (u) => (u.id === me.id ? t('admin.users.selfActive') : undefined),
    }),
    ...editColumn<User>(canEdit, { key: 'actions', width: 56, onEdit: setEditing, testId: (u) => `user-edit-${u.username}` }),
  ];

  return (
    <div>
      <SettingsHeader
        title={t('nav.admin.users')}
        subtitle={t('admin.users.subtitle')}
        onRefresh={() => void users.refetch()}
        newButton={{ label: t('admin.users.new'), testId: 'user-new', onClick: () => setEditing('new') }}
      />
      <div className="ac-stack">
        <Card>
          <Space wrap style={{ marginBottom: 16 }}>
            <DepartmentSelect
              allowClear
              style={{ width: 180 }}
              value={filters.departmentId}
              onChange={(departmentId) => setFilters((f) => ({ ...f, departmentId }))}
              aria-label={t('field.department')}
              data-testid="user-filter-department"
            />
            <EnumSelect<StaffRole>
              values={STAFF_ROLES}
              ns="role"
              allowClear
              placeholder={t('admin.users.anyRole')}
              aria-label={t('admin.users.anyRole')}
              style={{ width: 150 }}
              value={filters.role}
              onChange={(role) => setFilters((f) => ({ ...f, role: role as StaffRole | undefined }))}
            />
            <Input.Search
              allowClear
              placeholder={t('admin.users.search')}
              style={{ width: 280 }}
              onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined }))}
              data-testid="user-filter-q"
            />
          </Space>
          <LoadError error={users.error} />
          <Table<User>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={users.data?.items ?? []}
            loading={users.isLoading}
            rowClassName={(u) => (u.active ? '' : 'ac-row-inactive')}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Typography.Text type="secondary">{t('admin.users.empty')}</Typography.Text> }}
            data-testid="user-table"
          />
        </Card>
        <DepartmentHeads />
      </div>
      {editing && <UserModal user={editing === 'new' ? null : editing} self={editing !== 'new' && editing.id === me.id} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** Each department's head: the first escalation level and the reviewer of its solutions. */
function DepartmentHeads() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const departments = useDepartments();
  const staff = useUsers();
  const { busy, run } = useRowActions(qk.departments);

  const columns: ColumnsType<Department> = [
    { title: t('field.department'), dataIndex: 'name', width: 220 },
    {
      title: t('admin.users.head'),
      dataIndex: 'managerId',
      render: (managerId: number | null, d) =>
        canEdit ? (
          <UserSelect
            allowClear
            style={{ width: 280 }}
            value={managerId ?? undefined}
            loading={busy === `head-${d.id}`}
            placeholder={t('admin.users.noHead')}
            aria-label={`${d.name} · ${t('admin.users.head')}`}
            onChange={(v) => void run(`head-${d.id}`, () => directoryApi.setDepartmentHead(d.id, typeof v === 'number' ? v : null), t('admin.saved'))}
            data-testid={`dept-head-${d.code}`}
          />
        ) : managerId ? (
          (staff.byId.get(managerId)?.displayName ?? `#${managerId}`)
        ) : (
          <span className="ac-muted">{t('admin.users.noHead')}</span>
        ),
    },
  ];

  return (
    <Card title={t('admin.users.departments')} extra={<Typography.Text type="secondary">{t('admin.users.headHint')}</Typography.Text>}>
      {departments.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={departments.error.message} style={{ marginBottom: 16 }} />}
      <Table<Department> rowKey="id" size="middle" columns={columns} dataSource={departments.items} loading={departments.isLoading} pagination={false} data-testid="dept-table" />
    </Card>
  );
}

function UserModal({ user, self, onClose }: { user: User | null; self: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const { busy, error, save } = useFormSave(form, ALL_USERS, onClose);

  useEffect(() => {
    form.setFieldsValue({
      username: user?.username ?? '',
      displayName: user?.displayName ?? '',
      // The list holds staff only (the server leaves customers' portal accounts out).
      role: user && user.role !== 'customer' ? user.role : 'agent',
      departmentId: user?.departmentId ?? null,
      skills: user?.skills ?? [],
      password: '',
      active: user?.active ?? true,
    });
  }, [form, user]);

  const send = (v: FormValues) => {
    const fields = { displayName: v.displayName.trim(), role: v.role, departmentId: v.departmentId ?? null, skills: v.skills.map((s) => s.trim()).filter(Boolean) };
    if (!user) return directoryApi.createUser({ ...fields, username: v.username.trim(), password: v.password ?? '' });
    const body: UserPatchBody = { ...fields, active: v.active };
    // An empty box keeps the current password.
    if (v.password) body.password = v.password;
    return directoryApi.patchUser(user.id, body);
  };

  const required = (field: string) => ({ required: true, whitespace: true, message: t('validation.required', { field }) });

  return (
    <Modal
      open
      width={640}
      title={user ? t('admin.users.editTitle', { name: user.displayName }) : t('admin.users.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void save(send)}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'user-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="username"
              label={t('admin.users.username')}
              extra={user ? undefined : t('admin.users.usernameHint')}
              rules={user ? [] : [required(t('admin.users.username')), { pattern: /^[A-Za-z0-9_.-]{2,50}$/, message: t('admin.users.usernameFormat') }]}
            >
              <Input maxLength={50} disabled={!!user} autoComplete="off" data-testid="user-username" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="displayName" label={t('admin.users.displayName')} rules={[required(t('admin.users.displayName'))]}>
              <Input maxLength={100} data-testid="user-display-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="role" label={t('admin.users.role')} extra={self ? t('admin.users.selfRole') : undefined}>
              <EnumSelect<StaffRole> values={STAFF_ROLES} ns="role" disabled={self} data-testid="user-role" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="departmentId" label={t('field.department')}>
              <DepartmentSelect allowClear data-testid="user-department" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="skills" label={t('admin.users.skills')} extra={t('admin.users.skillsHint')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} placeholder={t('admin.users.skillsPlaceholder')} data-testid="user-skills" />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? t('admin.users.newPassword') : t('admin.users.password')}
          extra={user ? t('admin.users.passwordKeep') : undefined}
          rules={[...(user ? [] : [required(t('admin.users.password'))]), { min: MIN_PASSWORD, message: t('admin.users.passwordMin', { n: MIN_PASSWORD }) }]}
        >
          <Input.Password maxLength={200} autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        {user && (
          <Form.Item name="active" label={t('admin.active')} valuePropName="checked" extra={self ? t('admin.users.selfActive') : t('admin.users.activeHint')}>
            <Switch disabled={self} />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
