// A dialog around one antd form that saves through the API: 保存 submits, a refusal puts the server's translated
// messages on their fields and its reason at the top, and the dialog stays open with everything typed; it closes only
// once the save succeeded. Test ids: `${testId}` (the form), `${testId}-save`, `${testId}-error`.
import { useState, type ReactNode } from 'react';
import { Alert, Form, Modal, type ButtonProps, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyServerErrors, type NamePath } from './formErrors.js';

export function FormDialog<V extends object>({
  title,
  form,
  testId,
  initialValues,
  width = 640,
  onSave,
  onClose,
  mapField,
  children,
}: {
  title: ReactNode;
  form: FormInstance<V>;
  testId: string;
  initialValues?: Partial<V>;
  width?: number;
  /** Saves; throws the API error to refuse. */
  onSave: (values: V) => Promise<unknown>;
  onClose: () => void;
  /** Server field name → the form's name path (see applyServerErrors). */
  mapField?: (field: string) => NamePath | null | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: V) => {
    setSaving(true);
    setError(null);
    try {
      await onSave(values);
      onClose();
    } catch (e) {
      applyServerErrors(form, e, mapField);
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': `${testId}-save` } as ButtonProps}
      confirmLoading={saving}
      width={width}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid={`${testId}-error`} />}
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} data-testid={testId}>
        {children}
      </Form>
    </Modal>
  );
}
