// E-mail threading for messages to customers: every message about one ticket belongs to one thread, whose root
// Message-ID is stable (derived from the ticket), so mail clients group them and a reply can be matched. Pure.

export interface ThreadHeaders {
  messageId: string;
  inReplyTo?: string;
  references?: string[];
}

/** The domain part of our Message-IDs: the sender address's, else the public URL's host. */
export function messageIdDomain(from: string, publicUrl: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  if (m) return m[1].toLowerCase();
  try {
    return new URL(publicUrl).hostname || 'aftercare.invalid';
  } catch {
    return 'aftercare.invalid';
  }
}

/** The root Message-ID of a ticket's thread. */
export function ticketThreadId(ticketId: number, domain: string): string {
  return `<aftercare.ticket.${ticketId}@${domain}>`;
}

/**
 * The headers of one message: the first e-mail about a ticket opens the thread with the root id; later ones get an id
 * of their own and answer the root (In-Reply-To and References). Messages about no ticket stand alone.
 */
export function threadHeaders(opts: { messageId: number; ticketId: number | null; first: boolean; domain: string }): ThreadHeaders {
  if (opts.ticketId === null) return { messageId: `<aftercare.message.${opts.messageId}@${opts.domain}>` };
  const root = ticketThreadId(opts.ticketId, opts.domain);
  if (opts.first) return { messageId: root };
  return { messageId: `<aftercare.ticket.${opts.ticketId}.${opts.messageId}@${opts.domain}>`, inReplyTo: root, references: [root] };
}
