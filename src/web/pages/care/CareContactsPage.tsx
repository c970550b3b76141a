// 主动关怀 (/care): the units whose care rule has come (2 years of use, warranty ending within 30 days). The customer was
// sent the rule's message on their channels (an opted-out customer's is recorded, not sent); staff call and record it.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { careApi, careKeys, type CareContact } from '../../api/care.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadError } from '../admin/SettingsList.js';

const MESSAGE_COLOR: Record<string, string> = { queued: 'blue', sent: 'green', failed: 'red', skipped: 'orange', none: 'default' };

export default function CareContactsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [all, setAll] = useState(false);
  const state = all ? 'all' : 'open';
  const contacts = useQuery({ queryKey: careKeys.contacts(state), queryFn: () => careApi.contacts(state) });
  const [recording, setRecording] = useState<CareContact | null>(null);
  const [note, setNote] = useState('');
  const save = async () => {
    if (!recording) return;
    try {
      await careApi.contactDone(recording.id, note.trim() || undefined);
      setRecording(null);
      setNote('');
      void queryClient.invalidateQueries({ queryKey: ['care-contacts'] });
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  const columns: ColumnsType<CareContact> = [
    { title: t('care.contacts.dueDate'), dataIndex: 'dueDate' },
    { title: t('care.contacts.rule'), render: (_, c) => t(`care.rule.${c.rule}`) },
    { title: t('care.contacts.customer'), render: (_, c) => <Link to={`/customers/${c.customer.id}`}>{c.customer.name}</Link> },
    { title: '', render: (_, c) => c.customer.phone },
    { title: t('care.contacts.unit'), render: (_, c) => <Link to={`/units/${c.unit.id}`}>{`${c.unit.productName ?? c.unit.productModel} ${c.unit.serialNumber ?? ''}`}</Link> },
    { title: t('care.contacts.warrantyEnd'), render: (_, c) => c.unit.warrantyEnd ?? '—' },
    { title: t('care.contacts.message'), render: (_, c) => <Tag color={MESSAGE_COLOR[c.messageStatus]}>{t(`care.messageStatus.${c.messageStatus}`, { defaultValue: c.messageStatus })}</Tag> },
    {
      title: t('care.contacts.doneAt'),
      render: (_, c) =>
        c.contactedAt ? (
          <span>
            <DateTime value={c.contactedAt} /> {c.contactedBy?.name} {c.note}
          </span>
        ) : (
          <Button size="small" onClick={() => setRecording(c)} data-testid={`care-done-${c.id}`}>
            {t('care.contacts.done')}
          </Button>
        ),
    },
  ];
  return (
    <div>
      <PageHeader title={t('care.contacts.title')} testId="page-title" extra={<span>{t('care.contacts.showAll')} <Switch checked={all} onChange={setAll} data-testid="care-all" /></span>} />
      <Typography.Paragraph type="secondary">{t('care.contacts.intro')}</Typography.Paragraph>
      {contacts.error ? (
        <LoadError error={contacts.error} />
      ) : (
        <Table<CareContact> rowKey="id" loading={contacts.isLoading} dataSource={contacts.data?.items ?? []} columns={columns} pagination={{ pageSize: 50 }} locale={{ emptyText: t('care.contacts.empty') }} data-testid="care-table" />
      )}
      <Modal open={recording !== null} title={t('care.contacts.done')} onCancel={() => setRecording(null)} onOk={() => void save()}>
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('care.contacts.note')} aria-label={t('care.contacts.note')} />
      </Modal>
    </div>
  );
}
