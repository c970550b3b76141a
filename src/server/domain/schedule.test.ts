import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankEngineers, type EngineerCandidate } from './dispatch.js';
import { checkVisit, type GapRule, datesFrom, fieldHoursOn, freeSlots, gapNeeded, isLateArrival, localDate, localMidnight, overlappingPairs, type BookedVisit } from './schedule.js';
import { chinaMainlandCalendar } from './sla/calendar.js';

const H = 3_600_000;
const M = 60_000;
const cal = chinaMainlandCalendar();
const TZ = 'Asia/Shanghai';
/** 09:00 China time on a date. */
const at = (date: string, hh: number, mm = 0) => localMidnight(TZ, date) + hh * H + mm * M;

describe('conflicts', () => {
  const booked: BookedVisit[] = [{ id: 1, start: at('2025-12-01', 10), end: at('2025-12-01', 12), area: '浦东' }];

  it('refuses an overlap and names the visit, also when only a minute overlaps', () => {
    expect(checkVisit({ start: at('2025-12-01', 11, 59), end: at('2025-12-01', 13) }, booked)).toEqual([{ kind: 'overlap', visitId: 1 }]);
    expect(checkVisit({ start: at('2025-12-01', 9), end: at('2025-12-01', 10, 1) }, booked)).toEqual([{ kind: 'overlap', visitId: 1 }]);
  });

  it('warns on too little travel time before or after, and accepts exactly the gap', () => {
    expect(checkVisit({ start: at('2025-12-01', 12, 10), end: at('2025-12-01', 13) }, booked)).toEqual([{ kind: 'short_gap', visitId: 1, gapMinutes: 10, neededMinutes: 30 }]);
    expect(checkVisit({ start: at('2025-12-01', 8), end: at('2025-12-01', 9, 45) }, booked)).toEqual([{ kind: 'short_gap', visitId: 1, gapMinutes: 15, neededMinutes: 30 }]);
    expect(checkVisit({ start: at('2025-12-01', 12, 30), end: at('2025-12-01', 13) }, booked)).toEqual([]);
  });

  it('uses the gap between two areas when one is configured', () => {
    const rule = { minGapMinutes: 30, areaGaps: { '浦东|闵行': 90 } };
    expect(gapNeeded(rule, '闵行', '浦东')).toBe(90);
    expect(gapNeeded(rule, '浦东', '浦东')).toBe(30);
    expect(checkVisit({ start: at('2025-12-01', 13), end: at('2025-12-01', 14), area: '闵行' }, booked, rule)).toEqual([{ kind: 'short_gap', visitId: 1, gapMinutes: 60, neededMinutes: 90 }]);
  });

  it('flags a late arrival only after the window has ended', () => {
    const w = { start: at('2025-12-01', 14), end: at('2025-12-01', 16) };
    expect(isLateArrival(w, at('2025-12-01', 13, 50))).toBe(false);
    expect(isLateArrival(w, at('2025-12-01', 16))).toBe(false);
    expect(isLateArrival(w, at('2025-12-01', 16, 1))).toBe(true);
    expect(isLateArrival(w, null)).toBe(false);
  });
});

describe('working days and hours', () => {
  it('knows the local date and midnight in China time', () => {
    expect(localMidnight(TZ, '2025-12-01')).toBe(Date.parse('2025-11-30T16:00:00Z'));
    expect(localDate(TZ, Date.parse('2025-11-30T16:30:00Z'))).toBe('2025-12-01');
    expect(datesFrom('2025-12-30', 3)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
  });

  it('has no field hours on a weekend or public holiday, and has them on a 调休 make-up Sunday', () => {
    expect(fieldHoursOn(cal, '2025-12-06')).toBeNull(); // Saturday
    expect(fieldHoursOn(cal, '2025-10-02')).toBeNull(); // 国庆
    expect(fieldHoursOn(cal, '2025-09-28')).toEqual({ start: at('2025-09-28', 9), end: at('2025-09-28', 18) }); // 调休 Sunday
    // The lunch break of office hours is no break between visits: one span from 09:00 to 18:00.
    expect(fieldHoursOn(cal, '2025-12-01')).toEqual({ start: at('2025-12-01', 9), end: at('2025-12-01', 18) });
  });

  it('finds slots only on working days, inside the hours, around the booked visits', () => {
    const booked: BookedVisit[] = [{ id: 1, start: at('2025-12-05', 9), end: at('2025-12-05', 17) }];
    const slots = freeSlots(booked, { calendar: cal, dates: datesFrom('2025-12-05', 4), durationMinutes: 120 }); // Fri … Mon
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots) expect(localDate(TZ, s.start)).toBe('2025-12-08');
    expect(slots[0]).toEqual({ start: at('2025-12-08', 9), end: at('2025-12-08', 11) });
    expect(slots.at(-1)).toEqual({ start: at('2025-12-08', 16), end: at('2025-12-08', 18) });
  });

  it('starts no slot before now and stops at the limit', () => {
    const slots = freeSlots([], { calendar: cal, dates: ['2025-12-01'], durationMinutes: 60, notBefore: at('2025-12-01', 15, 10), limit: 2 });
    expect(slots).toEqual([
      { start: at('2025-12-01', 15, 30), end: at('2025-12-01', 16, 30) },
      { start: at('2025-12-01', 16), end: at('2025-12-01', 17) },
    ]);
  });
});

// A week of 2025-12-01 (Mon) … 2025-12-07 and visits of 15 min to 4 h on it.
const WEEK = datesFrom('2025-12-01', 7);
const week0 = at('2025-12-01', 0);
const visitArb = fc
  .record({ startMin: fc.integer({ min: 0, max: 7 * 24 * 4 - 1 }), lenQ: fc.integer({ min: 1, max: 16 }), area: fc.constantFrom('浦东', '闵行', '徐汇', null) })
  .map(({ startMin, lenQ, area }) => ({ start: week0 + startMin * 15 * M, end: week0 + startMin * 15 * M + lenQ * 15 * M, area }));
const ruleArb: fc.Arbitrary<GapRule> = fc.record({
  minGapMinutes: fc.integer({ min: 0, max: 90 }),
  areaGaps: fc.constantFrom<Record<string, number> | undefined>(undefined, { '浦东|闵行': 120 }, { '徐汇|徐汇': 5 }),
});

describe('properties', () => {
  it('a booked set accepted by the checker has no overlap', () => {
    fc.assert(
      fc.property(fc.array(visitArb, { maxLength: 40 }), ruleArb, (wanted, rule) => {
        const accepted: BookedVisit[] = [];
        wanted.forEach((w, i) => {
          const issues = checkVisit(w, accepted, rule);
          // Short gaps may be confirmed by the dispatcher (force); overlaps never.
          if (!issues.some((x) => x.kind === 'overlap')) accepted.push({ ...w, id: i + 1 });
        });
        expect(overlappingPairs(accepted)).toEqual([]);
      }),
    );
  });

  it('found free slots never conflict with the booked visits, nor with the rule', () => {
    fc.assert(
      fc.property(fc.array(visitArb, { maxLength: 30 }), ruleArb, fc.integer({ min: 15, max: 240 }), fc.constantFrom(15, 30, 45), fc.constantFrom('浦东', '闵行', null), (raw, rule, dur, step, area) => {
        const booked = raw.map((v, i) => ({ ...v, id: i + 1 }));
        const slots = freeSlots(booked, { calendar: cal, dates: WEEK, durationMinutes: dur, stepMinutes: step, rule, area });
        for (const s of slots) {
          expect(checkVisit({ ...s, area }, booked, rule)).toEqual([]);
          const hours = fieldHoursOn(cal, localDate(TZ, s.start));
          expect(hours).not.toBeNull();
          expect(s.start).toBeGreaterThanOrEqual(hours!.start);
          expect(s.end).toBeLessThanOrEqual(hours!.end);
        }
      }),
    );
  });

  it('misses no free start: each candidate start left out has an issue', () => {
    fc.assert(
      fc.property(fc.array(visitArb, { maxLength: 20 }), ruleArb, (raw, rule) => {
        const booked = raw.map((v, i) => ({ ...v, id: i + 1 }));
        const found = new Set(freeSlots(booked, { calendar: cal, dates: ['2025-12-02'], durationMinutes: 60, rule }).map((s) => s.start));
        for (let s = at('2025-12-02', 9); s + H <= at('2025-12-02', 18); s += 30 * M) {
          expect(found.has(s)).toBe(checkVisit({ start: s, end: s + H }, booked, rule).length === 0);
        }
      }),
    );
  });
});

describe('engineer suggestions', () => {
  const base: Omit<EngineerCandidate, 'id' | 'name'> = { productLines: [], skills: [], area: null, booked: [], free: [], van: new Map() };
  const window = { start: at('2025-12-02', 14), end: at('2025-12-02', 16) };
  const need = { productLine: 'ac', productName: '变频挂壁式空调 1.5匹', area: '浦东', window, parts: [{ code: 'AC-CAP-35', qty: 2 }] };

  it('puts the qualified engineer of the area with the window free first and says why', () => {
    const free = [window];
    const ranked = rankEngineers(
      [
        { ...base, id: 1, name: 'A', productLines: ['fridge'], area: '浦东', free },
        { ...base, id: 2, name: 'B', productLines: ['ac'], area: '浦东', free },
        { ...base, id: 3, name: 'C', productLines: ['ac'], area: '浦东', free: [], booked: [{ id: 9, start: at('2025-12-02', 15), end: at('2025-12-02', 17) }] },
        { ...base, id: 4, name: 'D', skills: ['空调'], area: '闵行', free },
      ],
      need,
      { minGapMinutes: 30 },
    );
    expect(ranked.map((r) => r.engineerId)).toEqual([2, 4, 1, 3]);
    expect(ranked[0].reasons.map((r) => r.code)).toEqual(['product_line', 'same_area', 'window_free', 'free_slots', 'parts_missing']);
    expect(ranked[0].slot).toEqual(window);
    expect(ranked[1].reasons.map((r) => r.code)).toContain('skill');
    expect(ranked[3].reasons).toContainEqual({ code: 'window_overlap', params: { visitId: 9 }, weight: -60 });
  });

  it('counts van stock: the van with the parts first, then part of them, then none, then no van at all', () => {
    const ranked = rankEngineers(
      [
        { ...base, id: 1, name: 'A', productLines: ['ac'], free: [window], van: new Map() },
        { ...base, id: 2, name: 'B', productLines: ['ac'], free: [window], van: new Map([['AC-CAP-35', 3]]) },
        { ...base, id: 3, name: 'C', productLines: ['ac'], free: [window], van: new Map([['AC-CAP-35', 1]]) },
        { ...base, id: 4, name: 'D', productLines: ['ac'], free: [window], van: null },
      ],
      need,
      { minGapMinutes: 30 },
    );
    expect(ranked.map((r) => r.engineerId)).toEqual([2, 3, 1, 4]);
    expect(ranked[0].reasons).toContainEqual({ code: 'parts_in_van', params: { list: 'AC-CAP-35 ×2' }, weight: 15 });
    expect(ranked[1].reasons).toContainEqual({ code: 'parts_missing', params: { list: 'AC-CAP-35 ×1' }, weight: -10 });
    expect(ranked[3].reasons).toContainEqual({ code: 'no_van', weight: -10 });
  });

  it('van stock does not count when no parts are needed', () => {
    const [r] = rankEngineers([{ ...base, id: 1, name: 'A', free: [window], van: null }], { ...need, parts: [] }, { minGapMinutes: 30 });
    expect(r.reasons.map((x) => x.code)).not.toContain('no_van');
  });
});
