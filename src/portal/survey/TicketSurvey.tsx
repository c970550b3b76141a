// The survey on the portal's ticket page, for the signed-in customer: the same form as the link's page, shown once
// the ticket is closed (before that the server answers 409 and nothing is shown).
import { useTranslation } from 'react-i18next';
import type { CustomerSurvey, SurveyAnswerBody } from '../../shared/surveys.js';
import { api, ApiError } from '../api.js';
import { Card, useLoad } from '../ui.js';
import { SurveyForm } from './SurveyForm.js';
import './survey.css';

const path = (number: string) => `/tickets/${encodeURIComponent(number)}/survey`;

export function TicketSurvey({ number }: { number: string }) {
  const { t } = useTranslation();
  const { data, error } = useLoad((signal) => api.get<CustomerSurvey>(`${path(number)}/form`, undefined, { signal }), [number]);
  if (!data || (error instanceof ApiError && error.status === 409)) return null;
  return (
    <Card title={t('survey.title')} testId="ticket-survey">
      <SurveyForm
        survey={data}
        submit={(body: SurveyAnswerBody) => api.post<CustomerSurvey>(`${path(number)}/answer`, body)}
        reload={() => api.get<CustomerSurvey>(`${path(number)}/form`)}
      />
    </Card>
  );
}
