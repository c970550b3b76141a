// The form that closes a follow-up call (回访) with its outcome and finding — on the ticket's 满意度 card and on the
// satisfaction page's follow-up list. One that is part of a pending second review (二次复核) records it too: the
// form then asks for the review's verdict.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SurveyFollowUp } from '../../shared/surveys.js';
import { surveyApi } from '../api/endpoints.js';
import { applyServerErrors } from './formErrors.js';

type CloseValues = { outcome: 'resolved' | 'not_resolved' | 'unreachable'; finding: string; verdict?: 'upheld' | 'service_failure'; nextSteps?: string };

export function FollowUpCloseForm({ followUp: f, onClosed, compact = true }: { followUp: SurveyFollowUp; onClosed: (closed: SurveyFollowUp) => Promise<unknown> | void; compact?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [formError, setFormError] = useState<string | null>(null);
  const close = useMutation({
    mutationFn: (v: CloseValues) => surveyApi.closeFollowUp(f.id, v),
    onSuccess: async (closed) => {
      setFormError(null);
      void message.success(t('survey.followUp.closedOk'));
      await onClosed(closed);
    },
    onError: (e: Error) => {
      const { applied } = applyServerErrors(form, e);
      if (applied === 0) setFormError(e.message);
    },
  });
  return (
    <Form form={form} layout="vertical" size={compact ? 'small' : 'middle'} onFinish={(v: CloseValues) => close.mutate(v)} data-testid="follow-up-form" style={{ marginTop: 8 }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 8 }} />}
      <Form.Item name="outcome" label={t('survey.followUp.outcome')} rules={[{ required: true, message: t('survey.required') }]}>
        <Select data-testid="follow-up-outcome" options={(['resolved', 'not_resolved', 'unreachable'] as const).map((o) => ({ value: o, label: t(`survey.outcome.${o}`) }))} />
      </Form.Item>
      <Form.Item name="finding" label={t('survey.followUp.finding')} rules={[{ required: true, whitespace: true, message: t('survey.required') }]}>
        <Input.TextArea rows={3} maxLength={5000} data-testid="follow-up-finding-input" />
      </Form.Item>
      {f.verdictRequired && (
        <>
          <Form.Item name="verdict" label={t('secondReview.verdictLabel')} rules={[{ required: true, message: t('survey.required') }]}>
            <Select options={(['upheld', 'service_failure'] as const).map((v) => ({ value: v, label: t(`secondReview.verdict.${v}`) }))} data-testid="follow-up-verdict" />
          </Form.Item>
          <Form.Item name="nextSteps" label={t('secondReview.nextStepsOptional')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" loading={close.isPending} data-testid="follow-up-close">
        {t('survey.followUp.close')}
      </Button>
    </Form>
  );
}
