// Types of the API contract, inferred from the shared zod schemas (type-only: zod is not bundled into the web app).
import type { z } from 'zod';
import type * as S from '../../shared/schemas.js';

export type {
  User,
  UserRef,
  Department,
  Category,
  Unit,
  Customer,
  CustomerDetail,
  CustomerCreateBody,
  CustomerPatchBody,
  Ticket,
  TicketListItem,
  TicketCreateBody,
  TicketPatchBody,
  TicketsQuery,
  Comment,
  Attachment,
  TicketEvent,
  LoginResponse,
  ErrorBody,
} from '../../shared/schemas.js';

export type Contact = z.infer<typeof S.Contact>;
export type ContactInput = z.input<typeof S.ContactInput>;
export type InlineCustomer = z.input<typeof S.InlineCustomer>;
export type TicketCustomer = z.infer<typeof S.TicketCustomer>;
export type FieldChange = z.infer<typeof S.FieldChange>;
export type TransitionBody = z.input<typeof S.TransitionBody>;
export type CommentBody = z.input<typeof S.CommentBody>;
export type CustomerLookupResult = z.infer<typeof S.CustomerLookupResult>;
export type LookupMatch = CustomerLookupResult['items'][number];
export type CustomersQuery = z.input<typeof S.CustomersQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface List<T> {
  items: T[];
}
