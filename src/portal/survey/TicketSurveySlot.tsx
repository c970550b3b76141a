// The survey in the ticket page's slot (tickets/slots.ts): asked only of a closed ticket, so an open one costs no request.
import type { TicketSlotProps } from '../tickets/slots.js';
import { TicketSurvey } from './TicketSurvey.js';

export default function TicketSurveySlot({ ticket }: TicketSlotProps) {
  if (ticket.status !== 'closed') return null;
  return <TicketSurvey number={ticket.number} />;
}
