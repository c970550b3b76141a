// Actions and forms of the returns pages.

/** Runs one action (lend, return, a step), then refreshes; a refusal shows as a message. */
import { useState } from 'react';
import { App, type FormInstance } from 'antd';
import { applyServerErrors } from '../../components/formErrors.js';

export function useAct(refresh: () => void) {
  const { message } = App.useApp();
  return async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      refresh();
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    }
  };
}

/**
 * A form's submit: validates, runs `send` with the values, and on a refusal puts the server's field errors on the form
 * (what was typed stays) or, when none lands on a field, shows its message in `error`.
 */
export function useFormSubmit<V>(form: FormInstance<V>, send: (values: V) => Promise<unknown>) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    setError(null);
    try {
      await send(v);
    } catch (err) {
      if (!applyServerErrors(form, err).applied) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };
  return { submit, saving, error };
}
