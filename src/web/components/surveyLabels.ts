// What the survey views share: an NPS answer's group and a follow-up state's tag colour.
import type { SurveyFollowUp } from '../../shared/surveys.js';

export function npsGroup(nps: number): 'promoter' | 'passive' | 'detractor' {
  return nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor';
}

export const NPS_GROUP_COLOR = { promoter: 'green', passive: 'default', detractor: 'red' } as const;

export const FOLLOW_UP_STATE_COLOR: Record<SurveyFollowUp['state'], string> = { ok: 'blue', warning: 'orange', breached: 'red', met: 'green', late: 'volcano' };
