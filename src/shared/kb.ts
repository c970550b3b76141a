// The API contract of the knowledge base (articles, search, revisions, feedback) and of the smart assistant.
import { z } from 'zod';
import { id, isoDateTime, longText, text, ticketNumber } from './fields.js';

export const KB_CATEGORIES = ['faq', 'troubleshooting', 'manual', 'policy', 'installation'] as const;
export type KbCategory = (typeof KB_CATEGORIES)[number];
export const KB_VISIBILITIES = ['public', 'internal'] as const;
export type KbVisibility = (typeof KB_VISIBILITIES)[number];
export const KB_STATUSES = ['draft', 'published'] as const;
export type KbStatus = (typeof KB_STATUSES)[number];
/** Where a "this solved it" came from: the portal's suggestions beside the request form, the assistant, an article page. */
export const KB_DEFLECTION_SOURCES = ['suggestion', 'assistant', 'article'] as const;

const productLine = z.string().trim().max(50).regex(/^[a-z0-9_]+$/, { message: 'kb_product_line' });
const tag = text(30, 1);
/** A random id the portal keeps per browser (localStorage), so an anonymous vote or deflection counts once, retries included. */
export const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'kb_client_id' });

const ArticleFields = {
  title: text(200, 1),
  summary: text(500).default(''),
  body: longText(100_000, 1),
  category: z.enum(KB_CATEGORIES),
  tags: z.array(tag).max(10).default([]),
  productLine: productLine.nullable().default(null),
  visibility: z.enum(KB_VISIBILITIES),
  status: z.enum(KB_STATUSES),
};

export const KbArticleCreateBody = z
  .object({
    ...ArticleFields,
    /** The revision's note (what changed and why). */
    note: text(200).optional(),
    /**
     * The editor has read an article made from a ticket and chooses to show it to customers: required to make such an
     * article public, so nothing written for staff reaches customers without someone deciding it.
     */
    reviewedForPublic: z.boolean().optional(),
  })
  .strict();
export type KbArticleCreateBody = z.infer<typeof KbArticleCreateBody>;

export const KbArticlePatchBody = z
  .object({
    title: ArticleFields.title.optional(),
    summary: text(500).optional(),
    body: ArticleFields.body.optional(),
    category: ArticleFields.category.optional(),
    tags: z.array(tag).max(10).optional(),
    productLine: productLine.nullable().optional(),
    visibility: ArticleFields.visibility.optional(),
    status: ArticleFields.status.optional(),
    note: text(200).optional(),
    reviewedForPublic: z.boolean().optional(),
    /** The version the edit was made on; a stale one gets 409 stale_version. */
    version: z.number().int().min(1),
  })
  .strict();
export type KbArticlePatchBody = z.infer<typeof KbArticlePatchBody>;

const Person = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const KbArticle = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  /** Markdown (staff); null for customers, who get the rendered `html` only. */
  body: z.string().nullable(),
  /** The body rendered and sanitised. */
  html: z.string(),
  category: z.enum(KB_CATEGORIES),
  tags: z.array(z.string()),
  productLine: z.string().nullable(),
  visibility: z.enum(KB_VISIBILITIES),
  status: z.enum(KB_STATUSES),
  version: z.number().int(),
  helpfulYes: z.number().int(),
  helpfulNo: z.number().int(),
  /** The caller's own vote (signed in, or the clientId given). */
  myVote: z.enum(['yes', 'no']).nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  publishedAt: isoDateTime.nullable(),
  /** Staff only (null for customers): who wrote and last changed it, and the ticket it was made from. */
  createdBy: Person,
  updatedBy: Person,
  sourceTicket: z.string().nullable(),
  /** Made from a ticket and not yet chosen for customers (reviewedForPublic). */
  needsPublicReview: z.boolean(),
});
export type KbArticle = z.infer<typeof KbArticle>;

export const KbArticleQuery = z.object({ clientId: clientId.optional() });

/** A piece of text with the query's words marked. */
export const KbSegment = z.object({ text: z.string(), hit: z.literal(true).optional() });
export type KbSegment = z.infer<typeof KbSegment>;

export const KbSearchQuery = z.object({
  q: text(500).optional(),
  category: z.enum(KB_CATEGORIES).optional(),
  productLine: productLine.optional(),
  tag: tag.optional(),
  /** Staff only; customers always get public. */
  visibility: z.enum(KB_VISIBILITIES).optional(),
  /** Staff only; customers always get published. */
  status: z.enum(KB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().regex(/^\d{1,6}$/, { message: 'invalid_cursor' }).optional(),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuery>;

export const KbSearchItem = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  /** The best stretch of the article for the query, marked (the summary's start without a query). */
  snippet: z.array(KbSegment),
  category: z.enum(KB_CATEGORIES),
  tags: z.array(z.string()),
  productLine: z.string().nullable(),
  visibility: z.enum(KB_VISIBILITIES),
  status: z.enum(KB_STATUSES),
  helpfulYes: z.number().int(),
  helpfulNo: z.number().int(),
  updatedAt: isoDateTime,
  /** Relevance (higher is better) when searched; null when listed without a query. */
  score: z.number().nullable(),
});
export type KbSearchItem = z.infer<typeof KbSearchItem>;

export const KbSearchPage = z.object({
  items: z.array(KbSearchItem),
  nextCursor: z.string().nullable(),
  /** The tokens the search looked for (CJK bigrams, words), for marking titles the same way. */
  tokens: z.array(z.string()),
});
export type KbSearchPage = z.infer<typeof KbSearchPage>;

export const KbSuggestQuery = z.object({
  /** What the customer or agent has typed. */
  q: text(2000).optional(),
  /** Staff: suggest for this ticket (its title and description). */
  ticket: ticketNumber.optional(),
  limit: z.coerce.number().int().min(1).max(10).default(5),
});

export const KbSuggestion = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  snippet: z.array(KbSegment),
  productLine: z.string().nullable(),
  visibility: z.enum(KB_VISIBILITIES),
  /** Where a customer reads it (public articles): the portal's article page. Null for internal ones. */
  url: z.string().nullable(),
});
export type KbSuggestion = z.infer<typeof KbSuggestion>;
export const KbSuggestions = z.object({ items: z.array(KbSuggestion), tokens: z.array(z.string()) });
export type KbSuggestions = z.infer<typeof KbSuggestions>;

export const KbRevision = z.object({
  revision: z.number().int(),
  title: z.string(),
  status: z.enum(KB_STATUSES),
  visibility: z.enum(KB_VISIBILITIES),
  author: Person,
  createdAt: isoDateTime,
  note: z.string().nullable(),
});
export type KbRevision = z.infer<typeof KbRevision>;
export const KbRevisionList = z.object({ items: z.array(KbRevision) });

export const KbRevisionParams = z.object({ id, revision: z.coerce.number().int().min(1).max(1_000_000) });
export const KbDiffQuery = z.object({ from: z.coerce.number().int().min(1).max(1_000_000), to: z.coerce.number().int().min(1).max(1_000_000) });

export const KbDiffPart = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() });
export type KbDiffPart = z.infer<typeof KbDiffPart>;
export const KbDiff = z.object({
  from: KbRevision,
  to: KbRevision,
  /** Fields other than the body that differ. */
  fields: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  /** The title, word by word; the summary and the body line by line. */
  title: z.array(KbDiffPart),
  summary: z.array(KbDiffPart),
  body: z.array(KbDiffPart),
});
export type KbDiff = z.infer<typeof KbDiff>;

export const KbRevisionDetail = KbRevision.extend({ summary: z.string(), body: z.string(), html: z.string(), category: z.enum(KB_CATEGORIES), tags: z.array(z.string()), productLine: z.string().nullable() });

export const KbFeedbackBody = z.object({ helpful: z.boolean(), clientId: clientId.optional() }).strict();
export const KbFeedbackResult = z.object({ helpfulYes: z.number().int(), helpfulNo: z.number().int(), myVote: z.enum(['yes', 'no']) });

export const KbDeflectionBody = z
  .object({
    articleId: id,
    source: z.enum(KB_DEFLECTION_SOURCES),
    /** What the customer had typed (kept for the reports' "questions the knowledge base answered"). */
    query: text(500).optional(),
    clientId: clientId.optional(),
  })
  .strict();
export const KbDeflectionResult = z.object({ recorded: z.boolean() });

export const KbFromTicketBody = z.object({ number: ticketNumber }).strict();
export const KbPreviewBody = z.object({ body: longText(100_000) }).strict();
export const KbPreview = z.object({ html: z.string() });

export const KbStatsQuery = z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() });
export const KbStats = z.object({
  articles: z.object({ published: z.number().int(), drafts: z.number().int(), public: z.number().int(), internal: z.number().int() }),
  helpful: z.object({ yes: z.number().int(), no: z.number().int() }),
  /** "This solved it", by where it was clicked, in the period. */
  deflections: z.object({ suggestion: z.number().int(), assistant: z.number().int(), article: z.number().int(), total: z.number().int() }),
  assistant: z.object({
    questions: z.number().int(),
    answered: z.number().int(),
    clarified: z.number().int(),
    /** Conversations handed over to a person (a new ticket). */
    handovers: z.number().int(),
    /** Conversations where the customer said the answer solved it (answered without a ticket). */
    solved: z.number().int(),
  }),
  topArticles: z.array(z.object({ id: z.number().int(), title: z.string(), deflections: z.number().int(), helpfulYes: z.number().int() })),
});
export type KbStats = z.infer<typeof KbStats>;

export const KbLines = z.object({ items: z.array(z.object({ line: z.string(), label: z.string() })) });

// ---------------------------------------------------------------- smart assistant (智能客服)

export const AssistTurn = z.object({ from: z.enum(['customer', 'assistant']), text: text(2000) });
export type AssistTurn = z.infer<typeof AssistTurn>;
const conversationId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'kb_client_id' });

export const AssistAskBody = z
  .object({
    conversationId,
    message: text(1000, 1),
    /** The product line the customer chose when asked (the clarifying question's answer). */
    productLine: productLine.nullable().optional(),
    /** The clarifying question has been asked in this conversation (it is asked once). */
    clarified: z.boolean().optional(),
  })
  .strict();

export const AssistPassage = z.object({
  articleId: z.number().int(),
  articleTitle: z.string(),
  heading: z.string().nullable(),
  text: z.string(),
  /** The passage with the question's words marked. */
  segments: z.array(KbSegment),
  url: z.string(),
});

export const AssistReply = z.object({
  kind: z.enum(['answer', 'clarify', 'handover']),
  /** What the assistant says, in the caller's language (phrased by the configured LLM when there is one). */
  text: z.string(),
  /** answer: the best passage, its article linked. */
  passage: AssistPassage.nullable(),
  /** answer: other articles that may help. */
  alternatives: z.array(z.object({ id: z.number().int(), title: z.string(), url: z.string() })),
  /** clarify: the products to choose from. */
  options: z.array(z.object({ line: z.string(), label: z.string() })),
  /** handover: why (the customer asked for a person, or nothing matched). */
  reason: z.enum(['asked_for_person', 'no_match']).nullable(),
  /** The answer was phrased by the LLM from the passages it cites (article ids). */
  llm: z.boolean(),
  citations: z.array(z.number().int()),
});
export type AssistReply = z.infer<typeof AssistReply>;

export const AssistHandoverBody = z.object({ conversationId, turns: z.array(AssistTurn).min(1).max(40) }).strict();
export const AssistHandover = z.object({ title: z.string(), description: z.string() });
export const AssistSolvedBody = z.object({ conversationId, articleId: id }).strict();
