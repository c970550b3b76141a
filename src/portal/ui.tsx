// The portal's few building blocks (plain React and portal.css; no component library, to keep the bundle small).
// Pages of every capability use them, so the portal looks and behaves one way.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.js';

/** A page: its title as the one <h1> and the document title. */
export function Page({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('shell.brand')}`;
  }, [title, t]);
  return (
    <div className={aside ? 'pt-page pt-page-with-aside' : 'pt-page'}>
      <div className="pt-page-main">
        <h1 className="pt-title">{title}</h1>
        {children}
      </div>
      {aside ? <aside className="pt-page-aside">{aside}</aside> : null}
    </div>
  );
}

export function Card({ children, title, className, testId }: { children: ReactNode; title?: string; className?: string; testId?: string }) {
  return (
    <section className={`pt-card ${className ?? ''}`} data-testid={testId}>
      {title ? <h2 className="pt-card-title">{title}</h2> : null}
      {children}
    </section>
  );
}

/** A labelled form field: the label names the control, the error (translated, from the server) is read out with it. */
export function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`pt-field${error ? ' pt-field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {hint ? (
        <div className="pt-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="pt-error-text" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function Alert({ kind = 'error', children, testId }: { kind?: 'error' | 'info' | 'success'; children: ReactNode; testId?: string }) {
  return (
    <div className={`pt-alert pt-alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="pt-loading" role="status">
      {t('shell.loading')}
    </div>
  );
}

/** The message and per-field messages of a failed request, for a form that keeps what the user typed. */
export interface FormErrors {
  message: string | null;
  fields: Record<string, string>;
}
export const NO_ERRORS: FormErrors = { message: null, fields: {} };
export function formErrors(e: unknown): FormErrors {
  if (e instanceof ApiError) return { message: e.message, fields: e.fields };
  return { message: e instanceof Error ? e.message : String(e), fields: {} };
}

/** Loads data for a page: { data, error, loading, reload }. A newer load wins over a slower older one. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | Error | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(ctl.signal).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        if (mine === seq.current) setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      },
    );
    return ctl;
  }, deps);
  useEffect(() => {
    const ctl = run();
    return () => ctl.abort();
  }, [run]);
  return { ...state, reload: run };
}

/** A date and time in the reader's language and time zone. */
export function DateTime({ iso }: { iso: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (!iso) return null;
  const d = new Date(iso);
  return <time dateTime={iso}>{d.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })}</time>;
}
