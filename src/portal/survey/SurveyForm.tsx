// The satisfaction survey's form, used by the page a survey link opens (SurveyPage) and by the portal's ticket page
// (TicketSurvey): a score 1–5, NPS 0–10, the admin's extra questions and a comment, in the form version the survey
// was sent with. What the customer chose and typed stays on any error; the server's messages name each field.
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerSurvey, SurveyAnswerBody, SurveyQuestion, SurveyWording } from '../../shared/surveys.js';
import { ApiError } from '../api.js';
import { Alert, Card, DateTime, formErrors, NO_ERRORS, type FormErrors } from '../ui.js';

type Value = string | number;
type Localized = { 'zh-CN': string; en: string };

/** The admin's wording in the reader's language, or the portal's own text when the admin left it empty. */
export function useWording(wording: SurveyWording) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const pick = (l: Localized | undefined) => l?.[lang]?.trim() || '';
  return {
    lang,
    text: (key: keyof SurveyWording, fallback: string) => pick(wording[key]) || t(fallback),
    label: (l: Localized) => l[lang] || l['zh-CN'] || l.en,
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** A row of numbered choices as radio buttons: one tab stop, arrow keys move, the legend names the group. */
function NumberChoice({ name, legend, values, value, onChange, error, hint, labels, testId }: { name: string; legend: string; values: number[]; value: number | undefined; onChange: (v: number) => void; error?: string; hint?: string; labels?: (v: number) => string; testId: string }) {
  const errorId = `${name}-error`;
  const hintId = `${name}-hint`;
  return (
    <fieldset className={`pt-field sv-fieldset${error ? ' pt-field-error' : ''}`} aria-describedby={[hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined} data-testid={testId}>
      <legend>{legend}</legend>
      {hint ? (
        <div className="pt-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      <div className={`sv-scale sv-scale-${values.length > 6 ? 'wide' : 'narrow'}`}>
        {values.map((v) => (
          <label key={v} className={`sv-option${value === v ? ' sv-option-on' : ''}`}>
            <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} aria-invalid={error ? true : undefined} />
            <span className="sv-option-number">{v}</span>
            {labels ? <span className="sv-option-label">{labels(v)}</span> : null}
          </label>
        ))}
      </div>
      {error ? (
        <div className="pt-error-text" id={errorId} role="alert">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}

function Question({ q, value, onChange, error, label }: { q: SurveyQuestion; value: Value | undefined; onChange: (v: Value) => void; error?: string; label: (l: Localized) => string }) {
  const { t } = useTranslation();
  const legend = `${label(q.label)}${q.required ? '' : ` ${t('survey.optional')}`}`;
  if (q.type === 'scale') {
    return <NumberChoice name={`q-${q.id}`} legend={legend} values={range(q.min ?? 0, q.max ?? 10)} value={typeof value === 'number' ? value : undefined} onChange={onChange} error={error} testId={`survey-q-${q.id}`} />;
  }
  if (q.type === 'choice') {
    return (
      <fieldset className={`pt-field sv-fieldset${error ? ' pt-field-error' : ''}`} aria-describedby={error ? `q-${q.id}-error` : undefined} data-testid={`survey-q-${q.id}`}>
        <legend>{legend}</legend>
        {q.options.map((o) => (
          <label key={o.value} className="pt-choice">
            <input type="radio" name={`q-${q.id}`} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} aria-invalid={error ? true : undefined} />
            <span>{label(o.label)}</span>
          </label>
        ))}
        {error ? (
          <div className="pt-error-text" id={`q-${q.id}-error`} role="alert">
            {error}
          </div>
        ) : null}
      </fieldset>
    );
  }
  const id = `q-${q.id}`;
  return (
    <div className={`pt-field${error ? ' pt-field-error' : ''}`} data-testid={`survey-q-${q.id}`}>
      <label htmlFor={id}>{legend}</label>
      <textarea id={id} rows={3} maxLength={2000} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <div className="pt-error-text" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** The answer on file: what the customer sees after sending it, or when they open the link again. */
export function SurveyAnswered({ survey, notice }: { survey: CustomerSurvey; notice?: string | null }) {
  const { t } = useTranslation();
  const w = useWording(survey.form.wording);
  const a = survey.answer!;
  const low = a.score <= 2 || a.nps <= 6;
  return (
    <div data-testid="survey-answered">
      {notice ? <Alert kind="info">{notice}</Alert> : null}
      <Alert kind="success" testId="survey-thanks">
        {w.text('thanks', 'survey.thanks')}
        {low ? <div>{t('survey.thanksLow')}</div> : null}
      </Alert>
      <Card title={t('survey.yourAnswer')}>
        <dl className="sv-answers">
          <dt>{w.text('scoreLabel', 'survey.scoreLabel')}</dt>
          <dd data-testid="survey-answer-score">{t('survey.scoreValue', { score: a.score, label: t(`survey.score.${a.score}`) })}</dd>
          <dt>{w.text('npsLabel', 'survey.npsLabel')}</dt>
          <dd>{t('survey.npsValue', { nps: a.nps })}</dd>
          {survey.form.questions.map((q) => {
            const v = a.answers[q.id];
            if (v === undefined || v === '') return null;
            const shown = q.type === 'choice' ? w.label(q.options.find((o) => o.value === v)?.label ?? { 'zh-CN': String(v), en: String(v) }) : String(v);
            return (
              <Fragment key={q.id}>
                <dt>{w.label(q.label)}</dt>
                <dd>{shown}</dd>
              </Fragment>
            );
          })}
          {a.comment ? (
            <>
              <dt>{w.text('commentLabel', 'survey.commentLabel')}</dt>
              <dd className="sv-pre">{a.comment}</dd>
            </>
          ) : null}
          <dt>{t('survey.answeredAt')}</dt>
          <dd>
            <DateTime iso={a.answeredAt} />
          </dd>
        </dl>
      </Card>
    </div>
  );
}

/**
 * The form, or the answer once given. `submit` sends the answer (by link or as the signed-in customer) and returns the
 * survey as the server now has it; `reload` fetches it again (after "already answered", to show the answer on file).
 */
export function SurveyForm({ survey, submit, reload }: { survey: CustomerSurvey; submit: (body: SurveyAnswerBody) => Promise<CustomerSurvey>; reload: () => Promise<CustomerSurvey> }) {
  const { t } = useTranslation();
  const w = useWording(survey.form.wording);
  const [current, setCurrent] = useState(survey);
  const [notice, setNotice] = useState<string | null>(null);
  const [score, setScore] = useState<number | undefined>();
  const [nps, setNps] = useState<number | undefined>();
  const [comment, setComment] = useState('');
  const [answers, setAnswers] = useState<Record<string, Value>>({});
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  if (current.state === 'answered' && current.answer) return <SurveyAnswered survey={current} notice={notice} />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    // The required answers are checked here first, so the customer learns at once; the server checks again.
    const fields: Record<string, string> = {};
    if (score === undefined) fields.score = t('survey.required');
    if (nps === undefined) fields.nps = t('survey.required');
    for (const q of current.form.questions) {
      const v = answers[q.id];
      if (q.required && (v === undefined || (typeof v === 'string' && !v.trim()))) fields[`answers.${q.id}`] = q.type === 'text' ? t('survey.requiredText') : t('survey.required');
    }
    if (Object.keys(fields).length > 0) {
      setErrors({ message: t('survey.fixFields'), fields });
      return;
    }
    const extra: Record<string, Value> = {};
    for (const [k, v] of Object.entries(answers)) if (!(typeof v === 'string' && !v.trim())) extra[k] = v;
    setBusy(true);
    try {
      setCurrent(await submit({ score: score!, nps: nps!, comment: comment.trim() || undefined, answers: extra }));
      setErrors(NO_ERRORS);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Answered already (another tab, a second device): show the answer on file.
        try {
          const fresh = await reload();
          if (fresh.state === 'answered') {
            setNotice(t('survey.already'));
            setCurrent(fresh);
            return;
          }
        } catch {
          // fall through to the server's message
        }
      }
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const f = errors.fields;
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate data-testid="survey-form">
      <p className="pt-lead">{w.text('intro', 'survey.intro')}</p>
      {errors.message ? <Alert testId="survey-error">{errors.message}</Alert> : null}
      <Card>
        <NumberChoice name="score" legend={w.text('scoreLabel', 'survey.scoreLabel')} values={range(1, 5)} value={score} onChange={setScore} error={f.score} labels={(v) => t(`survey.score.${v}`)} testId="survey-score" />
        <NumberChoice name="nps" legend={w.text('npsLabel', 'survey.npsLabel')} hint={t('survey.npsHint')} values={range(0, 10)} value={nps} onChange={setNps} error={f.nps} testId="survey-nps" />
        {current.form.questions.map((q) => (
          <Question key={q.id} q={q} value={answers[q.id]} onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))} error={f[`answers.${q.id}`]} label={w.label} />
        ))}
        <div className={`pt-field${f.comment ? ' pt-field-error' : ''}`}>
          <label htmlFor="survey-comment">{w.text('commentLabel', 'survey.commentLabel')}</label>
          <textarea id="survey-comment" maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} aria-invalid={f.comment ? true : undefined} aria-describedby={f.comment ? 'survey-comment-error' : undefined} data-testid="survey-comment" />
          {f.comment ? (
            <div className="pt-error-text" id="survey-comment-error" role="alert">
              {f.comment}
            </div>
          ) : null}
        </div>
        <button type="submit" className="pt-button pt-button-block" disabled={busy} data-testid="survey-submit">
          {busy ? t('survey.submitting') : t('survey.submit')}
        </button>
      </Card>
    </form>
  );
}
