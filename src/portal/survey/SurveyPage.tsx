// The page a survey link opens (/portal/survey/:token): no sign-in; the token names the ticket. An expired link and a
// wrong one each say so plainly, with what to do next.
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CustomerSurvey, SurveyAnswerBody } from '../../shared/surveys.js';
import { api, ApiError } from '../api.js';
import { Alert, Card, Loading, Page, useLoad } from '../ui.js';
import { SurveyForm, useWording } from './SurveyForm.js';
import './survey.css';

const get = (token: string, signal?: AbortSignal) => api.get<CustomerSurvey>(`/public/surveys/${encodeURIComponent(token)}`, undefined, { signal });
const post = (token: string, body: SurveyAnswerBody) => api.post<CustomerSurvey>(`/public/surveys/${encodeURIComponent(token)}`, body);

export default function SurveyPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { data, error, loading, reload } = useLoad((signal) => get(token, signal), [token]);
  if (loading && !data) return <Loading />;
  if (error && !data) {
    const status = error instanceof ApiError ? error.status : 0;
    const kind = status === 410 ? 'expired' : status === 404 || status === 400 ? 'invalid' : status === 409 ? 'notYet' : null;
    if (kind) {
      return (
        <Page title={t(`survey.${kind}.title`)}>
          <Card testId={`survey-${kind}`}>
            <p>{t(`survey.${kind}.body`)}</p>
          </Card>
        </Page>
      );
    }
    return (
      <Page title={t('survey.title')}>
        <Alert testId="survey-load-error">{error.message}</Alert>
        <button type="button" className="pt-button pt-button-ghost" onClick={() => reload()}>
          {t('survey.retry')}
        </button>
      </Page>
    );
  }
  return <Loaded survey={data!} token={token} />;
}

function Loaded({ survey, token }: { survey: CustomerSurvey; token: string }) {
  const { t } = useTranslation();
  const w = useWording(survey.form.wording);
  return (
    <Page title={w.text('title', 'survey.title')}>
      <p className="pt-muted" data-testid="survey-ticket">
        {t('survey.ticket', { number: survey.ticket.number, title: survey.ticket.title })}
      </p>
      <SurveyForm survey={survey} submit={(body) => post(token, body)} reload={() => get(token)} />
    </Page>
  );
}
