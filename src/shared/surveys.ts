// The satisfaction survey's contract (issue 15; SPEC §12; seed 000 §二(四)1, seed 003: satisfaction and NPS targets):
// the admin's versioned form, what a customer reads and answers, what staff see on a ticket, the follow-up task (回访)
// a low answer opens, and the report's aggregates.
import { z } from 'zod';
import { SECOND_REVIEW_VERDICTS } from './enums.js';
import { Cursor, isoDateTime, Limit, longText, page, text, ticketNumber, UserRef } from './fields.js';

export const SURVEY_QUESTION_TYPES = ['choice', 'scale', 'text'] as const;
export type SurveyQuestionType = (typeof SURVEY_QUESTION_TYPES)[number];

/** How a survey reached the customer: on closing, by a staff member's button, or by an API client. */
export const SURVEY_SOURCES = ['auto', 'manual', 'api'] as const;
export type SurveySource = (typeof SURVEY_SOURCES)[number];

/** How the answer came in: the signed link (no sign-in) or the signed-in portal. */
export const SURVEY_CHANNELS = ['link', 'portal'] as const;

/** What the follow-up call (回访) found; `second_review` = closed by the second review (二次复核) it is part of. */
export const FOLLOW_UP_OUTCOMES = ['resolved', 'not_resolved', 'unreachable', 'second_review'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
/** Why a follow-up task was opened: a score of 1–2, an NPS of 0–6 (a detractor), or both. */
export const FOLLOW_UP_REASONS = ['low_score', 'detractor'] as const;

export const SURVEY_LIMITS = { questions: 10, options: 10, label: 300, wording: 1000, comment: 2000, answerText: 2000 } as const;

const key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'survey_key' });

/** A text in both languages: zh-CN is what customers see first, English must be complete too. */
export const LocalizedLabel = z.object({ 'zh-CN': text(SURVEY_LIMITS.label, 1), en: text(SURVEY_LIMITS.label, 1) });
/** A wording override: empty = the portal's own default text in that language. */
const LocalizedWording = z.object({ 'zh-CN': longText(SURVEY_LIMITS.wording).default(''), en: longText(SURVEY_LIMITS.wording).default('') });

export const SurveyQuestion = z.object({
  /** Stable key the answers are stored under (a-z, 0-9, _). */
  id: key,
  type: z.enum(SURVEY_QUESTION_TYPES),
  label: LocalizedLabel,
  required: z.boolean().default(false),
  /** choice: 2–10 options. */
  options: z.array(z.object({ value: key, label: LocalizedLabel })).max(SURVEY_LIMITS.options).default([]),
  /** scale: the lowest and highest value (0–10, at most 11 steps). */
  min: z.number().int().min(0).max(10).optional(),
  max: z.number().int().min(0).max(10).optional(),
});
export type SurveyQuestion = z.infer<typeof SurveyQuestion>;

export const SurveyWording = z.object({
  title: LocalizedWording.optional(),
  intro: LocalizedWording.optional(),
  scoreLabel: LocalizedWording.optional(),
  npsLabel: LocalizedWording.optional(),
  commentLabel: LocalizedWording.optional(),
  thanks: LocalizedWording.optional(),
});
export type SurveyWording = z.infer<typeof SurveyWording>;

export const SurveyFormBody = z.object({
  wording: SurveyWording.default({}),
  questions: z.array(SurveyQuestion).max(SURVEY_LIMITS.questions).default([]),
});
export type SurveyFormBody = z.infer<typeof SurveyFormBody>;

/** One version of the form; answers keep the version they answered. */
export const SurveyForm = z.object({
  version: z.number().int(),
  wording: SurveyWording,
  questions: z.array(SurveyQuestion),
  createdAt: z.string(),
  createdBy: UserRef.nullable(),
});
export type SurveyForm = z.infer<typeof SurveyForm>;
export const SurveyFormVersionParams = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });

// ---------------------------------------------------------------- what the customer reads and sends

export const SurveyAnswerValue = z.union([z.string().max(SURVEY_LIMITS.answerText), z.number()]);
export const SurveyAnswerBody = z.object({
  /** Satisfaction, 1 (very dissatisfied) – 5 (very satisfied). */
  score: z.number().int().min(1).max(5),
  /** How likely to recommend us, 0–10 (NPS). */
  nps: z.number().int().min(0).max(10),
  comment: longText(SURVEY_LIMITS.comment).optional(),
  /** The form's extra questions, by question id: a choice's option value, a scale's number, a text. */
  answers: z.record(z.string().max(40), SurveyAnswerValue).default({}),
});
export type SurveyAnswerBody = z.infer<typeof SurveyAnswerBody>;

export const SurveyAnswer = z.object({
  score: z.number().int(),
  nps: z.number().int(),
  comment: z.string().nullable(),
  answers: z.record(z.string(), SurveyAnswerValue),
  answeredAt: z.string(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;

/** A customer's view of their survey (domain/surveys customerSurvey: an allow-list). */
export const CustomerSurvey = z.object({
  ticket: z.object({ number: z.string(), title: z.string() }),
  state: z.enum(['open', 'answered']),
  /** The form this survey was sent with (or answered). */
  form: SurveyForm.omit({ createdAt: true, createdBy: true }),
  answer: SurveyAnswer.nullable(),
});
export type CustomerSurvey = z.infer<typeof CustomerSurvey>;

export const SurveyTokenParams = z.object({ token: z.string().min(1).max(200) });

// ---------------------------------------------------------------- staff: the ticket's survey and its follow-up

export const SurveyFollowUp = z.object({
  id: z.number(),
  ticketNumber: z.string(),
  ticketTitle: z.string(),
  reasons: z.array(z.enum(FOLLOW_UP_REASONS)),
  score: z.number().int(),
  nps: z.number().int(),
  comment: z.string().nullable(),
  openedAt: z.string(),
  dueAt: z.string(),
  /** ok / warning / breached while open; met / late once closed. */
  state: z.enum(['ok', 'warning', 'breached', 'met', 'late']),
  /** The second review (二次复核) of a complaint this follow-up is part of: closing one closes the other. */
  secondReviewId: z.number().nullable(),
  /** That second review is still pending: closing the follow-up records it too and needs its verdict. */
  verdictRequired: z.boolean(),
  /** The ticket's department and the person who handled it (the follow-up itself goes to the service desk's supervisors). */
  departmentId: z.number().nullable(),
  ticketAssignee: UserRef.nullable(),
  closedAt: z.string().nullable(),
  closedBy: UserRef.nullable(),
  outcome: z.enum(FOLLOW_UP_OUTCOMES).nullable(),
  finding: z.string().nullable(),
});
export type SurveyFollowUp = z.infer<typeof SurveyFollowUp>;

export const TicketSurvey = z.object({
  id: z.number(),
  status: z.enum(['sent', 'answered']),
  source: z.enum(SURVEY_SOURCES),
  sentAt: z.string(),
  sentBy: UserRef.nullable(),
  /** The signed link to send or copy, while unanswered (a fresh one, valid `linkExpiresAt`). */
  link: z.string().nullable(),
  linkExpiresAt: z.string().nullable(),
  form: SurveyForm,
  answer: SurveyAnswer.nullable(),
  answeredVia: z.enum(SURVEY_CHANNELS).nullable(),
  followUp: SurveyFollowUp.nullable(),
});
export type TicketSurvey = z.infer<typeof TicketSurvey>;
export const TicketSurveyResult = z.object({ survey: TicketSurvey.nullable() });
export const SendSurveyBody = z.object({ source: z.enum(['manual', 'api']).default('api') });

export const FollowUpCloseBody = z.object({
  outcome: z.enum(['resolved', 'not_resolved', 'unreachable']),
  finding: longText(5000, 1),
  /** Needed when the follow-up is part of a pending second review (二次复核): its verdict. */
  verdict: z.enum(SECOND_REVIEW_VERDICTS).optional(),
  nextSteps: longText(2000).optional(),
});
export const FollowUpsQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  /** Only the follow-ups of this department's tickets. */
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export const FollowUpsPage = page(SurveyFollowUp);

// ---------------------------------------------------------------- reports

export const SurveyReportQuery = z.object({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});
export const SurveyListQuery = SurveyReportQuery.extend({ limit: Limit, cursor: Cursor.optional() });

export const SurveyAggregate = z.object({
  count: z.number().int(),
  /** Mean score 1–5, two decimals; null without answers. */
  averageScore: z.number().nullable(),
  /** Scores of 4 or 5. */
  satisfied: z.number().int(),
  /** CSAT: satisfied / count in %, one decimal. */
  csat: z.number().nullable(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  /** NPS: % promoters (9–10) − % detractors (0–6), one decimal, −100 … 100. */
  nps: z.number().nullable(),
});
export type SurveyAggregate = z.infer<typeof SurveyAggregate>;

/** A day's answers (China time, UTC+8) for the trend: only days with answers are listed. */
export const SurveyTrendDay = SurveyAggregate.extend({ date: z.string() });

export const SurveyReport = z.object({
  from: z.string(),
  to: z.string(),
  departmentId: z.number().nullable(),
  total: SurveyAggregate,
  /**
   * Response rate: of the surveys sent in the period (sentAt in [from, to), the ticket's department), how many are
   * answered by now; rate in %, one decimal, null when none was sent.
   */
  response: z.object({ sent: z.number().int(), answered: z.number().int(), rate: z.number().nullable() }),
  trend: z.array(SurveyTrendDay),
  byDepartment: z.array(SurveyAggregate.extend({ departmentId: z.number().nullable(), departmentName: z.string().nullable() })),
});
export type SurveyReport = z.infer<typeof SurveyReport>;

export const SurveyListItem = z.object({
  id: z.number(),
  ticketNumber: ticketNumber,
  ticketTitle: z.string(),
  departmentId: z.number().nullable(),
  score: z.number().int(),
  nps: z.number().int(),
  comment: z.string().nullable(),
  answeredAt: z.string(),
});
export type SurveyListItem = z.infer<typeof SurveyListItem>;
export const SurveyListPage = page(SurveyListItem);
