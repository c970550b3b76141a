// Satisfaction surveys, pure (issue 15; SPEC §12; seed 003: satisfaction and NPS as the service's targets): checking an
// admin's form and a customer's answers against it, when an answer needs a follow-up call (回访), the follow-up's
// clock (warning, breach) and the report's arithmetic (CSAT, NPS), and what a customer may read of their survey.
import type { CustomerSurvey, SurveyAggregate, SurveyAnswer, SurveyFormBody, SurveyQuestion, SurveyWording } from '../../shared/surveys.js';

/** field path → message key (http/messages.ts). */
export type SurveyFieldErrors = Record<string, string>;

/** What the schema cannot say alone: unique keys, a choice's options, a scale's range. */
export function checkForm(form: SurveyFormBody): SurveyFieldErrors {
  const errors: SurveyFieldErrors = {};
  const seen = new Set<string>();
  form.questions.forEach((q, i) => {
    const at = `questions.${i}`;
    // The standard answers are stored beside the extra ones: their names stay theirs.
    if (seen.has(q.id) || ['score', 'nps', 'comment'].includes(q.id)) errors[`${at}.id`] = 'field.survey_question_duplicate';
    seen.add(q.id);
    if (q.type === 'choice') {
      if (q.options.length < 2) errors[`${at}.options`] = 'field.survey_options_min';
      else if (new Set(q.options.map((o) => o.value)).size !== q.options.length) errors[`${at}.options`] = 'field.survey_option_duplicate';
    }
    if (q.type === 'scale' && (q.min === undefined || q.max === undefined || q.min >= q.max)) errors[`${at}.max`] = 'field.survey_scale_range';
  });
  return errors;
}

/** A form as stored: only the fields its question type uses. */
export function normaliseForm(form: SurveyFormBody): { wording: SurveyWording; questions: SurveyQuestion[] } {
  const wording: SurveyWording = {};
  for (const [k, v] of Object.entries(form.wording) as [keyof SurveyWording, { 'zh-CN': string; en: string } | undefined][]) {
    if (v && (v['zh-CN'] || v.en)) wording[k] = { 'zh-CN': v['zh-CN'] ?? '', en: v.en ?? '' };
  }
  const questions = form.questions.map((q) => ({
    id: q.id,
    type: q.type,
    label: q.label,
    required: q.required,
    options: q.type === 'choice' ? q.options : [],
    ...(q.type === 'scale' ? { min: q.min, max: q.max } : {}),
  }));
  return { wording, questions };
}

/** The extra answers checked against the questions they answer; unknown keys are refused, not silently dropped. */
export function checkAnswers(questions: readonly SurveyQuestion[], answers: Record<string, string | number>): { errors: SurveyFieldErrors; clean: Record<string, string | number> } {
  const errors: SurveyFieldErrors = {};
  const clean: Record<string, string | number> = {};
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const k of Object.keys(answers)) if (!byId.has(k)) errors[`answers.${k}`] = 'field.survey_question_unknown';
  for (const q of questions) {
    const at = `answers.${q.id}`;
    const raw = answers[q.id];
    const empty = raw === undefined || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (q.required) errors[at] = 'field.required';
      continue;
    }
    if (q.type === 'choice') {
      if (typeof raw !== 'string' || !q.options.some((o) => o.value === raw)) errors[at] = 'field.survey_choice_unknown';
      else clean[q.id] = raw;
    } else if (q.type === 'scale') {
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < (q.min ?? 0) || raw > (q.max ?? 10)) errors[at] = 'field.survey_scale_value';
      else clean[q.id] = raw;
    } else {
      if (typeof raw !== 'string') errors[at] = 'field.survey_text_value';
      // Control characters and lone surrogates break logs and PostgreSQL text (as shared/fields.ts text() refuses).
      // eslint-disable-next-line no-control-regex
      else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(raw)) errors[at] = 'field.control_chars';
      else clean[q.id] = raw.trim();
    }
  }
  return { errors, clean };
}

export type FollowUpReason = 'low_score' | 'detractor';

/** A score of 1–2 or an NPS of 0–6 (a detractor) calls for a follow-up call by the supervisor. */
export function followUpReasons(score: number, nps: number): FollowUpReason[] {
  const out: FollowUpReason[] = [];
  if (score <= 2) out.push('low_score');
  if (nps <= 6) out.push('detractor');
  return out;
}

export type NpsGroup = 'promoter' | 'passive' | 'detractor';
export function npsGroup(nps: number): NpsGroup {
  return nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor';
}

export interface SurveyCounts {
  count: number;
  scoreSum: number;
  satisfied: number;
  promoters: number;
  detractors: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The report's numbers from counts (SQL sums them; tests sum the list of answers the same way). */
export function aggregate(c: SurveyCounts): SurveyAggregate {
  if (c.count === 0) return { count: 0, averageScore: null, satisfied: 0, csat: null, promoters: 0, passives: 0, detractors: 0, nps: null };
  return {
    count: c.count,
    averageScore: round(c.scoreSum / c.count, 2),
    satisfied: c.satisfied,
    csat: round((c.satisfied * 100) / c.count, 1),
    promoters: c.promoters,
    passives: c.count - c.promoters - c.detractors,
    detractors: c.detractors,
    nps: round(((c.promoters - c.detractors) * 100) / c.count, 1),
  };
}

export function countAnswers(answers: readonly { score: number; nps: number }[]): SurveyCounts {
  const c: SurveyCounts = { count: 0, scoreSum: 0, satisfied: 0, promoters: 0, detractors: 0 };
  for (const a of answers) {
    c.count++;
    c.scoreSum += a.score;
    if (a.score >= 4) c.satisfied++;
    const g = npsGroup(a.nps);
    if (g === 'promoter') c.promoters++;
    if (g === 'detractor') c.detractors++;
  }
  return c;
}

// ---------------------------------------------------------------- the follow-up's clock

export interface FollowUpClock {
  dueAt: number;
  warnAt: number;
  warned: boolean;
  breached: boolean;
  closedAt: number | null;
}

export type FollowUpAction = { kind: 'warning' | 'breach'; dueAt: number };

/** The next instant the sweeper has work on a follow-up, or null. Breached strictly after the deadline, as SLA clocks are. */
export function followUpCheckAt(c: FollowUpClock): number | null {
  if (c.closedAt !== null) return null;
  if (!c.warned && c.warnAt < c.dueAt) return c.warnAt;
  if (!c.breached) return c.dueAt + 1;
  return null;
}

/** What is due on an open follow-up at `now`: its warning and its breach, each once. */
export function sweepFollowUp(c: FollowUpClock, now: number): { actions: FollowUpAction[]; next: FollowUpClock } {
  const actions: FollowUpAction[] = [];
  const next = { ...c };
  if (c.closedAt !== null) return { actions, next };
  if (!next.warned && c.warnAt <= now) {
    next.warned = true;
    // A breach found in the same pass makes the warning moot.
    if (!(c.dueAt < now)) actions.push({ kind: 'warning', dueAt: c.dueAt });
  }
  if (!next.breached && c.dueAt < now) {
    next.warned = true;
    next.breached = true;
    actions.push({ kind: 'breach', dueAt: c.dueAt });
  }
  return { actions, next };
}

export type FollowUpState = 'ok' | 'warning' | 'breached' | 'met' | 'late';

export function followUpState(c: FollowUpClock, now: number): FollowUpState {
  if (c.closedAt !== null) return c.closedAt > c.dueAt ? 'late' : 'met';
  if (now > c.dueAt) return 'breached';
  return now >= c.warnAt ? 'warning' : 'ok';
}

// ---------------------------------------------------------------- what a customer reads

export interface SurveyFacts {
  ticket: { number: string; title: string };
  form: { version: number; wording: SurveyWording; questions: SurveyQuestion[] };
  answer: SurveyAnswer | null;
}

/**
 * The customer's survey, key by key (an allow-list, as domain/customer-view.ts is): the ticket's number and title, the
 * form they answer and their own answer. Nothing of the follow-up, the second review, who sent it or the staff's link.
 */
export function customerSurvey(f: SurveyFacts): CustomerSurvey {
  const out = {
    ticket: { number: f.ticket.number, title: f.ticket.title },
    state: f.answer ? 'answered' : 'open',
    form: { version: f.form.version, wording: f.form.wording, questions: f.form.questions },
    answer: f.answer ? { score: f.answer.score, nps: f.answer.nps, comment: f.answer.comment, answers: f.answer.answers, answeredAt: f.answer.answeredAt } : null,
  } satisfies Record<keyof CustomerSurvey, unknown>;
  return out as CustomerSurvey;
}
