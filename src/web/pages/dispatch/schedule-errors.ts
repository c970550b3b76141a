// How a booking or a move was refused: an overlap (never booked), a short travel gap (booked once confirmed with a
// reason: the server's 409 carries fields.force), or anything else.
import { isApiError } from '../../api/client.js';

export type ScheduleRefusal = { kind: 'overlap' | 'gap' | 'other'; message: string };

export function scheduleRefusal(err: unknown): ScheduleRefusal {
  if (isApiError(err) && err.status === 409 && err.fields?.force) return { kind: 'gap', message: err.fields.force };
  if (isApiError(err) && err.status === 409 && err.fields?.windowStart) return { kind: 'overlap', message: err.message };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

/** Half-hour start times of a field day. */
export const START_TIMES: readonly string[] = Array.from({ length: 19 }, (_, i) => `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);
export const DURATIONS: readonly number[] = [60, 90, 120, 180, 240];
