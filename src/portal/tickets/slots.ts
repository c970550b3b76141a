// Places on the portal's ticket pages where other capabilities put their part, one line each (lazy, so the first load
// does not carry them). A slot component gets the props named here and renders nothing when it has nothing to say.
//   TICKET_PAGE_SLOTS — below a ticket's solution: e.g. the satisfaction survey (surveys) once the ticket is closed,
//                       the ticket's returns and exchanges with their tracking numbers (returns).
//   NEW_REQUEST_ASIDE — beside the new-request form: e.g. matching public articles (kb) while the customer types;
//                       `onSolved(articleId)` counts as a deflection and leaves the form.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Ticket } from '../../shared/schemas.js';

export interface TicketSlotProps {
  ticket: Ticket;
  /** Reload the ticket after the slot changed something. */
  reload(): void;
}

export interface NewRequestAsideProps {
  /** What the customer has typed so far (title and description). */
  text: string;
  productModel: string | null;
  /** The customer says an article solved it: the request is not sent. */
  onSolved(articleId: number | string): void;
}

export const TICKET_PAGE_SLOTS: LazyExoticComponent<ComponentType<TicketSlotProps>>[] = [lazy(() => import('../survey/TicketSurveySlot.js')), lazy(() => import('../returns/RmaSlot.js'))];

export const NEW_REQUEST_ASIDE: LazyExoticComponent<ComponentType<NewRequestAsideProps>>[] = [
  lazy(() => import('../kb/Suggestions.js')),
  lazy(() => import('../assist/AssistAside.js')),
];
