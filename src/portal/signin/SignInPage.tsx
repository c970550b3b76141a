import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CodeRequested } from '../../shared/portal.js';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { Alert, Card, Field, formErrors, NO_ERRORS, Page, type FormErrors } from '../ui.js';

/** Sign in with a phone number or e-mail address and a one-time code. The typed target stays through every error. */
export default function SignInPage() {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [target, setTarget] = useState(params.get('target') ?? '');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<(CodeRequested & { to: string }) | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [wait, setWait] = useState(0);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  if (session?.kind === 'account') return <Navigate to={next} replace />;

  const requestCode = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const r = await api.post<CodeRequested>('/portal/code', { target });
      setSent({ ...r, to: target.trim() });
      setCode('');
      setWait(60);
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const signIn = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post('/portal/signin', { target, code });
      await refresh();
      navigate(next, { replace: true });
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('signin.title')}>
      <Card>
        <p className="pt-muted">{t('signin.intro')}</p>
        {errors.message && !Object.keys(errors.fields).length ? <Alert testId="signin-error">{errors.message}</Alert> : null}
        {!sent ? (
          <form onSubmit={(e) => void requestCode(e)} noValidate data-testid="signin-target-form">
            <Field label={t('signin.target')} hint={t('signin.targetHint')} error={errors.fields.target}>
              {(p) => <input {...p} type="text" inputMode="email" autoComplete="username" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="signin-target" />}
            </Field>
            <button type="submit" className="pt-button pt-button-block" disabled={busy} data-testid="signin-send">
              {t('signin.send')}
            </button>
          </form>
        ) : (
          <form onSubmit={(e) => void signIn(e)} noValidate data-testid="signin-code-form">
            <Alert kind="info">{t(sent.channel === 'email' ? 'signin.sentEmail' : 'signin.sentSms', { to: sent.to, minutes: sent.expiresInMinutes })}</Alert>
            {sent.demoCode ? (
              <Alert kind="success" testId="demo-code">
                {t('signin.demoCode')} <span className="pt-code">{sent.demoCode}</span>
              </Alert>
            ) : null}
            <Field label={t('signin.code')} error={errors.fields.code}>
              {(p) => (
                <input {...p} type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} data-testid="signin-code" />
              )}
            </Field>
            <button type="submit" className="pt-button pt-button-block" disabled={busy || code.length !== 6} data-testid="signin-submit">
              {t('signin.submit')}
            </button>
            <p className="pt-actions">
              <button type="button" className="pt-button pt-button-ghost" disabled={busy || wait > 0} onClick={() => void requestCode()}>
                {wait > 0 ? t('signin.resendIn', { seconds: wait }) : t('signin.resend')}
              </button>
              <button type="button" className="pt-button pt-button-ghost" onClick={() => setSent(null)}>
                {t('signin.change')}
              </button>
            </p>
          </form>
        )}
      </Card>
      <p className="pt-muted pt-small">{t('signin.noAccount')}</p>
    </Page>
  );
}

/** Only a path inside the portal: `next` comes from the address bar. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/tickets';
}
