// /portal/messages — the signed-in customer's message settings: language, channels, optional messages.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { Alert, Card, Field, formErrors, Loading, NO_ERRORS, Page, useLoad, type FormErrors } from '../ui.js';

type Channel = 'email' | 'sms' | 'wechat';
const CHANNELS: Channel[] = ['wechat', 'email', 'sms'];

interface Prefs {
  locale: 'zh-CN' | 'en';
  channels: Channel[];
  defaulted: boolean;
  optOut: boolean;
  reachable: { email: string | null; sms: string | null; wechat: boolean };
}

export default function PreferencesPage() {
  const { t } = useTranslation();
  const prefs = useLoad((signal) => api.get<Prefs>('/messages/preferences', undefined, { signal }), []);
  const [form, setForm] = useState<{ locale: Prefs['locale']; channels: Channel[]; useDefault: boolean; optOut: boolean } | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (prefs.data) setForm({ locale: prefs.data.locale, channels: prefs.data.channels, useDefault: prefs.data.defaulted, optOut: prefs.data.optOut });
  }, [prefs.data]);

  if (prefs.error) return <Alert>{prefs.error.message}</Alert>;
  if (!prefs.data || !form) return <Loading />;
  const reach = prefs.data.reachable;
  const where = (c: Channel) => (c === 'wechat' ? (reach.wechat ? '' : t('messages.prefs.wechatNotBound')) : (reach[c] ?? t('messages.prefs.notReachable')));

  const save = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    setSaved(false);
    try {
      await api.put<Prefs>('/messages/preferences', { locale: form.locale, channels: form.useDefault ? null : form.channels, optOut: form.optOut });
      setSaved(true);
    } catch (e) {
      setErrors(formErrors(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('messages.prefs.title')}>
      <p className="pt-muted">{t('messages.prefs.intro')}</p>
      <Card>
        <Field label={t('messages.prefs.language')} error={errors.fields.locale}>
          {(p) => (
            <select {...p} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value as Prefs['locale'] })} data-testid="prefs-locale">
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          )}
        </Field>
        <fieldset className="pt-field" style={{ border: 0, padding: 0, margin: '0 0 14px' }}>
          <legend style={{ fontWeight: 600, marginBottom: 4 }}>{t('messages.prefs.channels')}</legend>
          <label className="pt-choice">
            <input type="checkbox" checked={form.useDefault} onChange={(e) => setForm({ ...form, useDefault: e.target.checked })} data-testid="prefs-default" />
            <span>{t('messages.prefs.useDefault')}</span>
          </label>
          {CHANNELS.map((c) => (
            <label className="pt-choice" key={c}>
              <input
                type="checkbox"
                disabled={form.useDefault}
                checked={form.channels.includes(c)}
                onChange={(e) => setForm({ ...form, channels: e.target.checked ? [...form.channels, c] : form.channels.filter((x) => x !== c) })}
                data-testid={`prefs-channel-${c}`}
              />
              <span>
                {t(`messages.prefs.${c}`)} <span className="pt-muted pt-small">{where(c)}</span>
              </span>
            </label>
          ))}
          <div className="pt-hint">{t('messages.prefs.channelsHint')}</div>
          {errors.fields.channels ? (
            <div className="pt-error-text" role="alert">
              {errors.fields.channels}
            </div>
          ) : null}
        </fieldset>
        <label className="pt-choice">
          <input type="checkbox" checked={form.optOut} onChange={(e) => setForm({ ...form, optOut: e.target.checked })} data-testid="prefs-optout" />
          <span>{t('messages.prefs.optOut')}</span>
        </label>
        {errors.message && Object.keys(errors.fields).length === 0 ? <Alert>{errors.message}</Alert> : null}
        {saved ? (
          <Alert kind="success" testId="prefs-saved">
            {t('messages.prefs.saved')}
          </Alert>
        ) : null}
        <div className="pt-actions">
          <button type="button" className="pt-button" disabled={busy} onClick={() => void save()} data-testid="prefs-save">
            {t('messages.prefs.save')}
          </button>
        </div>
      </Card>
    </Page>
  );
}
