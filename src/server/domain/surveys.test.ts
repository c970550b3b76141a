import { describe, expect, it } from 'vitest';
import { aggregate, checkAnswers, checkForm, countAnswers, followUpCheckAt, followUpReasons, followUpState, sweepFollowUp } from './surveys.js';

describe('survey arithmetic', () => {
  it('asks for a follow-up on a score of 1–2 or an NPS of 0–6', () => {
    expect(followUpReasons(2, 7)).toEqual(['low_score']);
    expect(followUpReasons(3, 6)).toEqual(['detractor']);
    expect(followUpReasons(1, 0)).toEqual(['low_score', 'detractor']);
    expect(followUpReasons(3, 7)).toEqual([]);
  });

  it('computes CSAT as the share of 4–5 and NPS as promoters minus detractors', () => {
    const a = aggregate(countAnswers([{ score: 5, nps: 10 }, { score: 4, nps: 9 }, { score: 3, nps: 8 }, { score: 1, nps: 3 }]));
    expect(a).toEqual({ count: 4, averageScore: 3.25, satisfied: 2, csat: 50, promoters: 2, passives: 1, detractors: 1, nps: 25 });
    expect(aggregate(countAnswers([]))).toMatchObject({ count: 0, averageScore: null, csat: null, nps: null });
    expect(aggregate(countAnswers([{ score: 1, nps: 0 }])).nps).toBe(-100);
  });
});

describe('follow-up clock', () => {
  const base = { dueAt: 1000, warnAt: 800, warned: false, breached: false, closedAt: null };
  it('warns once, then breaches once strictly after the deadline', () => {
    expect(followUpCheckAt(base)).toBe(800);
    const w = sweepFollowUp(base, 800);
    expect(w.actions).toEqual([{ kind: 'warning', dueAt: 1000 }]);
    expect(followUpCheckAt(w.next)).toBe(1001);
    expect(sweepFollowUp(w.next, 1000).actions).toEqual([]);
    const b = sweepFollowUp(w.next, 1001);
    expect(b.actions).toEqual([{ kind: 'breach', dueAt: 1000 }]);
    expect(followUpCheckAt(b.next)).toBeNull();
  });
  it('skips a moot warning when found already breached, and does nothing once closed', () => {
    expect(sweepFollowUp(base, 5000).actions).toEqual([{ kind: 'breach', dueAt: 1000 }]);
    expect(sweepFollowUp({ ...base, closedAt: 900 }, 5000).actions).toEqual([]);
    expect(followUpState({ ...base, closedAt: 900 }, 5000)).toBe('met');
    expect(followUpState({ ...base, closedAt: 1200 }, 5000)).toBe('late');
    expect(followUpState(base, 700)).toBe('ok');
    expect(followUpState(base, 900)).toBe('warning');
    expect(followUpState(base, 1001)).toBe('breached');
  });
});

describe('forms and answers', () => {
  const label = { 'zh-CN': '问', en: 'Q' };
  it('refuses duplicate and reserved ids, choices without two options and scales without a range', () => {
    const errors = checkForm({
      wording: {},
      questions: [
        { id: 'score', type: 'text', label, required: false, options: [] },
        { id: 'a', type: 'choice', label, required: false, options: [{ value: 'x', label }] },
        { id: 'a', type: 'scale', label, required: false, options: [], min: 5, max: 5 },
      ],
    });
    expect(errors).toEqual({ 'questions.0.id': 'field.survey_question_duplicate', 'questions.1.options': 'field.survey_options_min', 'questions.2.id': 'field.survey_question_duplicate', 'questions.2.max': 'field.survey_scale_range' });
  });
  it('checks each answer against its question and trims texts', () => {
    const questions = [
      { id: 'c', type: 'choice' as const, label, required: true, options: [{ value: 'y', label }, { value: 'n', label }] },
      { id: 's', type: 'scale' as const, label, required: false, options: [], min: 1, max: 5 },
      { id: 't', type: 'text' as const, label, required: false, options: [] },
    ];
    expect(checkAnswers(questions, { c: 'y', s: 3, t: ' ok ' })).toEqual({ errors: {}, clean: { c: 'y', s: 3, t: 'ok' } });
    expect(checkAnswers(questions, { s: 6, t: 5, z: 'x' }).errors).toEqual({ 'answers.z': 'field.survey_question_unknown', 'answers.c': 'field.required', 'answers.s': 'field.survey_scale_value', 'answers.t': 'field.survey_text_value' });
  });
});
