// Countdown pills: one per queue row (the nearest running deadline) and one per clock on the ticket page.
// Every instance reads the shared 1-second ticker.
import type { ReactNode } from 'react';
import { Tag, Tooltip } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, HourglassOutlined, PauseCircleOutlined, StopOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ClockStateName } from '../../../shared/enums.js';
import type { SlaClockView, TicketSla } from '../../api/types.js';
import { formatDateTime } from '../DateTime.js';
import { countdownText, liveClockState, owedImprovement, queueCountdown } from './clocks.js';
import { useServerNow } from './time.js';

export const CLOCK_STATE_COLORS: Record<ClockStateName, string> = {
  ok: 'success',
  warning: 'warning',
  breached: 'error',
  met: 'success',
  paused: 'default',
  stopped: 'default',
  awaiting_customer: 'processing',
};

const STATE_ICONS: Record<ClockStateName, ReactNode> = {
  ok: <ClockCircleOutlined />,
  warning: <WarningOutlined />,
  breached: <ExclamationCircleOutlined />,
  met: <CheckCircleOutlined />,
  paused: <PauseCircleOutlined />,
  stopped: <StopOutlined />,
  awaiting_customer: <HourglassOutlined />,
};

/**
 * Queue cell: the clock's name over "剩余 …" / "已超时 …", coloured by state; `data-state` for tests. A reopened
 * ticket's improvement plan counts down here too.
 */
export function SlaCountdown({ ticket }: { ticket: { number: string; status: string; sla: TicketSla | null; improvementDueAt: string | null } }) {
  const { t } = useTranslation();
  const now = useServerNow();
  const { number } = ticket;
  // Only the customer can move it now: the team's clocks are not running, and nothing is "met" until they confirm.
  if (ticket.status === 'pending_confirmation') {
    return (
      <Tooltip title={t('sla.awaitingCustomerHint')}>
        <span className="ac-countdown ac-countdown-awaiting" data-testid={`countdown-${number}`} data-state="awaiting_customer">
          <span className="ac-countdown-clock">{t('sla.clock.resolve')}</span>
          <span className="ac-countdown-value">{t('sla.state.awaiting_customer')}</span>
        </span>
      </Tooltip>
    );
  }
  const c = queueCountdown(ticket.sla, now, owedImprovement(ticket));
  if (!c) return <span className="ac-muted">—</span>;
  const tip = `${t(`sla.clock.${c.clock}`)} · ${t('sla.dueAt', { time: formatDateTime(c.dueAt) })}`;
  return (
    <Tooltip title={tip}>
      <span className={`ac-countdown ac-countdown-${c.state}`} data-testid={`countdown-${number}`} data-state={c.state} data-clock={c.clock}>
        <span className="ac-countdown-clock">{t(`sla.clock.${c.clock}`)}</span>
        <span className="ac-countdown-value">{countdownText(c.state, c.remainingMs, t)}</span>
      </span>
    </Tooltip>
  );
}

/** Ticket page: a clock's state as a tag that ticks while the clock runs ("剩余 1小时02分", "已达成"). */
export function ClockStateTag({ clock, paused }: { clock: SlaClockView; paused: boolean }) {
  const { t } = useTranslation();
  const now = useServerNow();
  let state = liveClockState(clock, now);
  if (paused && (state === 'ok' || state === 'warning') && clock.metAt === null) state = 'paused';
  const running = clock.metAt === null && (state === 'ok' || state === 'warning' || state === 'breached');
  const text = running ? countdownText(state, Date.parse(clock.dueAt) - now, t) : clock.metAt && state === 'breached' ? t('sla.metLate') : t(`sla.state.${state}`);
  return (
    <Tag
      color={CLOCK_STATE_COLORS[state]}
      icon={STATE_ICONS[state]}
      style={{ marginInlineEnd: 0 }}
      data-testid={`clock-${clock.clock}`}
      data-state={state}
      className="ac-tabular"
    >
      {text}
    </Tag>
  );
}
