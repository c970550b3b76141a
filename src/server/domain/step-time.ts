// When a visit step happened: the time the engineer pressed the button, which the phone sends along (it may have been
// pressed offline and sent much later), held within sane bounds against a wrong phone clock. Pure.

/** How far a phone clock may run ahead of or behind the server's before its times are refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** A replayed 'departed' older than this no longer tells the customer the engineer is on the way (stale news). */
export const ON_THE_WAY_FRESH_MS = 10 * 60_000;

export type StepTime = { ok: true; at: number } | { ok: false; reason: 'future' | 'before_booking' };

/**
 * The recorded time of a step pressed at `pressed` (absent: now). Refused when it lies more than the skew in the
 * future or before the visit was booked; inside the skew it is brought to now / the booking. Never earlier than the
 * step recorded before it, so the steps stay in order on a phone whose clock lags the server's.
 */
export function stepTime(pressed: number | undefined, now: number, bookedAt: number, previous: number | null): StepTime {
  if (pressed === undefined) return { ok: true, at: Math.max(now, previous ?? now) };
  if (pressed > now + CLOCK_SKEW_MS) return { ok: false, reason: 'future' };
  if (pressed < bookedAt - CLOCK_SKEW_MS) return { ok: false, reason: 'before_booking' };
  return { ok: true, at: Math.max(Math.min(pressed, now), bookedAt, previous ?? bookedAt) };
}
