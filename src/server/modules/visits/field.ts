// The field calendar and travel-gap rule the schedule is checked against, and how a window reads in a message.
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DEFAULT_GAP_RULE, type GapRule } from '../../domain/schedule.js';
import { chinaMainlandCalendar, type BusinessCalendar } from '../../domain/sla/calendar.js';
import type { SlaService } from '../sla/service.js';

/** Admin setting (table `settings`): `{ minGapMinutes, areaGaps }`; 30 minutes everywhere until set. */
export const FIELD_SETTING_KEY = 'fieldService';
const TTL_MS = 10_000;

export class FieldConfig {
  private cache: { at: number; rule: GapRule } | null = null;
  private fallback: BusinessCalendar | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly sla: SlaService,
  ) {}

  /**
   * The working days engineers visit on: the China mainland calendar the SLA policies use (holidays, 调休), or the
   * first office calendar an admin made; never the 24×7 one.
   */
  async calendar(): Promise<BusinessCalendar> {
    const rows = [...(await this.sla.calendarRows()).values()].sort((a, b) => a.row.id - b.row.id);
    const found = rows.find((c) => c.row.code === 'china') ?? rows.find((c) => c.row.kind !== 'always');
    if (found) return found.calendar;
    this.fallback ??= chinaMainlandCalendar();
    return this.fallback;
  }

  /** After the setting was saved on this node (modules/providers field-admin.ts): the next read sees it. */
  forget() {
    this.cache = null;
  }

  async gapRule(db: Kysely<DB> = this.ctx.db.read): Promise<GapRule> {
    const now = performance.now();
    if (this.cache && now - this.cache.at <= TTL_MS) return this.cache.rule;
    const row = await db.selectFrom('settings').select('value').where('key', '=', FIELD_SETTING_KEY).executeTakeFirst();
    let rule = DEFAULT_GAP_RULE;
    if (row) {
      const v = JSON.parse(row.value) as Partial<GapRule>;
      rule = { minGapMinutes: typeof v.minGapMinutes === 'number' ? v.minGapMinutes : DEFAULT_GAP_RULE.minGapMinutes, areaGaps: v.areaGaps ?? undefined };
    }
    this.cache = { at: now, rule };
    return rule;
  }
}

/** `12月7日 14:00–16:00` / `7 Dec 14:00–16:00`, in the calendar's time zone: how the customer and the errors read it. */
export function windowText(locale: string, timeZone: string, start: number, end: number): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric', day: 'numeric' }).formatToParts(start).map((x) => [x.type, x.value]));
  const day = locale === 'en' ? `${p.day} ${MONTHS[+p.month - 1]}` : `${p.month}月${p.day}日`;
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${day} ${time.format(start)}–${time.format(end)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
