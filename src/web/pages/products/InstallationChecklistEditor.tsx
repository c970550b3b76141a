// A product's installation checklist (安装验收清单) in the product dialog: its own items, or the product line's defaults
// until a manager saves a list of its own; 恢复默认 goes back to them. Saved on its own (not with the product's form).
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { careApi, careKeys } from '../../api/care.js';

export function InstallationChecklistEditor({ model }: { model: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: careKeys.checklist(model), queryFn: () => careApi.checklist(model) });
  const [items, setItems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => setItems(q.data?.items ?? []), [q.data]);
  const run = (p: Promise<unknown>) => {
    setBusy(true);
    p.then(() => {
      void message.success(t('care.checklist.saved'));
      return qc.invalidateQueries({ queryKey: careKeys.checklist(model) });
    })
      .catch((e: Error) => void message.error(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <div style={{ marginBottom: 16 }} data-testid="installation-checklist">
      <Typography.Text strong>{t('care.checklist.title')}</Typography.Text> {q.data && <Tag>{t(q.data.custom ? 'care.checklist.custom' : 'care.checklist.defaults')}</Tag>}
      <Select mode="tags" style={{ width: '100%', marginTop: 8 }} value={items} onChange={setItems} open={false} placeholder={t('care.checklist.placeholder')} aria-label={t('care.checklist.title')} data-testid="installation-checklist-items" />
      <Space style={{ marginTop: 8 }}>
        <Button size="small" type="primary" loading={busy} disabled={items.length === 0} onClick={() => run(careApi.saveChecklist(model, items))} data-testid="installation-checklist-save">
          {t('care.checklist.save')}
        </Button>
        {q.data?.custom && (
          <Button size="small" loading={busy} onClick={() => run(careApi.resetChecklist(model))}>
            {t('care.checklist.reset')}
          </Button>
        )}
      </Space>
    </div>
  );
}
