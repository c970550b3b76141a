// 安装验收 on the engineer's phone: an installation visit's checklist (ticked once on site) and the customer's sign-off
// — their name, a confirmation and a signature on the pad. Signing records the unit's acceptance date, which starts
// its warranty (the server derives it); the card then shows the warranty's dates.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { careApi, careKeys } from '../../api/care.js';
import type { Visit } from '../../api/visits.js';
import { SignaturePad } from '../../components/SignaturePad.js';

const ON_SITE = new Set(['arrived', 'work_done']);

export function InstallationAcceptance({ v }: { v: Visit }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: careKeys.acceptance(v.id), queryFn: () => careApi.acceptance(v.id) });
  const [signer, setSigner] = useState(v.contactName ?? '');
  const [confirmed, setConfirmed] = useState(false);
  const [signature, setSignature] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const a = q.data;
  if (!a) return null;
  const onSite = ON_SITE.has(v.status);
  const done = a.items.filter((i) => i.done).map((i) => i.label);
  const complete = done.length === a.items.length;
  const fail = (err: unknown) => void message.error(err instanceof Error ? err.message : String(err));
  const save = (next: Promise<unknown>) => {
    setBusy(true);
    next
      .then(() => queryClient.invalidateQueries({ queryKey: careKeys.acceptance(v.id) }))
      .catch(fail)
      .finally(() => setBusy(false));
  };
  const toggle = (label: string, on: boolean) => save(careApi.tick(v.id, on ? [...done, label] : done.filter((d) => d !== label), a.version));
  const sign = () => save(careApi.accept(v.id, { signerName: signer.trim(), confirmed: true, ...(signature ? { signature } : {}), version: a.version }));

  return (
    <div style={{ border: '1px solid #d9d9d9', borderRadius: 8, padding: 10, margin: '8px 0' }} data-testid={`acceptance-${v.id}`}>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {t('care.acceptance.title')}
      </Typography.Text>
      {a.accepted ? (
        <Alert
          style={{ marginTop: 8 }}
          type="success"
          showIcon
          title={t('care.acceptance.accepted', { name: a.signerName ?? '', date: a.acceptedOn ?? '' })}
          description={a.warrantyStart ? t('care.acceptance.warranty', { start: a.warrantyStart, end: a.warrantyEnd ?? '—' }) : undefined}
          data-testid={`acceptance-done-${v.id}`}
        />
      ) : (
        <>
          {!onSite && <div className="ac-hint">{t('care.acceptance.notOnSite')}</div>}
          <div style={{ display: 'flex', flexDirection: 'column', gap: 6, margin: '8px 0' }}>
            {a.items.map((i) => (
              <Checkbox key={i.label} checked={i.done} disabled={!onSite || busy} onChange={(e) => toggle(i.label, e.target.checked)} style={{ fontSize: 16 }} data-testid={`acceptance-item-${i.label}`}>
                {i.label}
              </Checkbox>
            ))}
          </div>
          {onSite && complete && (
            <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
              <Input size="large" value={signer} onChange={(e) => setSigner(e.target.value)} placeholder={t('care.acceptance.signerPlaceholder')} aria-label={t('care.acceptance.signer')} data-testid={`acceptance-signer-${v.id}`} />
              <SignaturePad value={signature} onChange={setSignature} height={160} />
              <Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid={`acceptance-confirm-${v.id}`}>
                {t('care.acceptance.confirm')}
              </Checkbox>
              <Button size="large" type="primary" block loading={busy} disabled={!confirmed || !signer.trim() || !signature} onClick={sign} data-testid={`acceptance-sign-${v.id}`}>
                {t('care.acceptance.sign')}
              </Button>
            </div>
          )}
          {onSite && !complete && <div className="ac-hint">{t('care.acceptance.incomplete')}</div>}
        </>
      )}
    </div>
  );
}
