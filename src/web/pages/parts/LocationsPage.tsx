// /parts/locations (managers, directors, admins): the warehouses and engineers' vans, in use or not, with a dialog to
// add one or edit it (name, code, the van's engineer, in use). A location's kind is fixed once made. Refusals (code
// taken, not an engineer, out of use while holding stock) show at their field and in the dialog, keeping the input.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Select, Table, Tag } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LOCATION_KINDS, type LocationKind } from '../../../shared/parts.js';
import { partsApi, partsKeys, type StockLocation } from '../../api/parts.js';
import { useUsers } from '../../api/queries.js';
import { useCurrentUser } from '../../app/auth.js';
import { FormDialog } from '../../components/FormDialog.js';
import { PageHeader } from '../../components/PageHeader.js';
import { BackToParts, canManageParts } from './common.js';

export default function LocationsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [editing, setEditing] = useState<StockLocation | 'new' | null>(null);
  const locations = useQuery({ queryKey: partsKeys.allLocations, queryFn: () => partsApi.locations({ active: 'all' }) });
  const canEdit = canManageParts(user.role);

  return (
    <div>
      <PageHeader
        back={<BackToParts />}
        title={t('parts.admin.locations')}
        subtitle={t('parts.admin.locationsSubtitle')}
        testId="page-title"
        extra={
          canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="location-new">
              {t('parts.admin.newLocation')}
            </Button>
          )
        }
      />
      <Card>
        {locations.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={locations.error.message} style={{ marginBottom: 16 }} />}
        <div data-testid="locations-table">
          <Table<StockLocation>
            rowKey="id"
            size="middle"
            loading={locations.isLoading}
            dataSource={locations.data?.items ?? []}
            pagination={false}
            rowClassName={(l) => (l.active ? '' : 'ac-row-inactive')}
            columns={[
              { title: t('parts.field.code'), dataIndex: 'code', width: 160 },
              { title: t('parts.field.name'), dataIndex: 'name' },
              { title: t('parts.admin.kind'), dataIndex: 'kind', width: 120, render: (k: LocationKind) => <Tag color={k === 'van' ? 'blue' : 'default'}>{t(`parts.locationKind.${k}`)}</Tag> },
              { title: t('parts.admin.owner'), dataIndex: 'owner', width: 180, render: (o: StockLocation['owner']) => o?.name ?? <span className="ac-muted">—</span> },
              { title: t('parts.admin.state'), dataIndex: 'active', width: 110, render: (a: boolean) => (a ? <Tag color="green">{t('parts.admin.inUse')}</Tag> : <Tag>{t('parts.inactive')}</Tag>) },
              ...(canEdit
                ? [
                    {
                      key: 'edit',
                      width: 70,
                      render: (_: unknown, l: StockLocation) => <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(l)} data-testid={`location-edit-${l.code}`} />,
                    },
                  ]
                : []),
            ]}
          />
        </div>
      </Card>
      {editing && <LocationModal location={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

type Values = { code: string; name: string; kind: LocationKind; ownerId?: number | null; active: boolean };

function LocationModal({ location, onClose }: { location: StockLocation | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kind = (Form.useWatch('kind', form) ?? location?.kind ?? 'warehouse') as LocationKind;
  const engineers = useUsers({ role: 'engineer' });
  const engineerOptions = engineers.items.filter((u) => u.active || u.id === location?.owner?.id).map((u) => ({ value: u.id, label: u.displayName }));
  const required = (field: string) => [{ required: true, message: t('validation.required', { field }) }];
  const initial: Partial<Values> = location ? { code: location.code, name: location.name, kind: location.kind, ownerId: location.owner?.id ?? null, active: location.active } : { kind: 'warehouse', active: true };

  const submit = async (v: Values) => {
    const ownerId = kind === 'van' ? (v.ownerId ?? null) : null;
    const saved = location
      ? await partsApi.updateLocation(location.id, { code: v.code.trim(), name: v.name.trim(), ownerId, active: v.active })
      : await partsApi.createLocation({ code: v.code.trim(), name: v.name.trim(), kind, ownerId });
    void message.success(t('parts.admin.saved', { code: saved.code }));
    await qc.invalidateQueries({ queryKey: partsKeys.all });
  };

  return (
    <FormDialog<Values>
      title={location ? t('parts.admin.editLocation', { code: location.code }) : t('parts.admin.newLocation')}
      form={form}
      testId="location-form"
      initialValues={initial}
      width={560}
      onSave={submit}
      onClose={onClose}
    >
      <Form.Item name="kind" label={t('parts.admin.kind')} extra={location ? t('parts.admin.kindFixed') : undefined}>
        <Radio.Group optionType="button" buttonStyle="solid" disabled={!!location} options={LOCATION_KINDS.map((k) => ({ value: k, label: t(`parts.locationKind.${k}`) }))} data-testid="location-kind" />
      </Form.Item>
      <Form.Item name="code" label={t('parts.field.code')} rules={required(t('parts.field.code'))} extra={t('parts.admin.codeHint')}>
        <Input maxLength={40} data-testid="location-code" />
      </Form.Item>
      <Form.Item name="name" label={t('parts.field.name')} rules={required(t('parts.field.name'))}>
        <Input maxLength={100} data-testid="location-name" />
      </Form.Item>
      {kind === 'van' && (
        <Form.Item name="ownerId" label={t('parts.admin.owner')} rules={required(t('parts.admin.owner'))}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={engineerOptions} loading={engineers.isLoading} placeholder={t('parts.admin.pickEngineer')} data-testid="location-owner" />
        </Form.Item>
      )}
      {location && (
        <Form.Item name="active" valuePropName="checked" extra={t('parts.admin.locationActiveHint')}>
          <Checkbox data-testid="location-active">{t('parts.admin.inUse')}</Checkbox>
        </Form.Item>
      )}
    </FormDialog>
  );
}
