// Articles are Markdown. Rendered with markdown-it (raw HTML escaped, `html: false`) and the result passed through
// sanitize-html anyway (links and images keep only http(s)/mailto and relative targets), so neither an author nor a
// pasted ticket can put script, style or event handlers in front of a customer. Also the article's plain text (the
// search index and snippets) and its passages (what the assistant answers with). Pure: no IO.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'strong', 'em', 's', 'del',
    'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['style'], td: ['style'], ol: ['start'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Links leave the portal in a new tab and tell the target nothing about where the reader came from.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }) },
};
// target and rel are set by the transform; allow exactly those.
(SANITIZE.allowedAttributes as Record<string, string[]>).a.push('target', 'rel');

/** The article body as safe HTML. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), SANITIZE);
}

/** One block of an article's text: a paragraph, a list item, a table row or a code block, under its latest heading. */
interface Block {
  heading: string | null;
  text: string;
}

function blocks(source: string): Block[] {
  const tokens = md.parse(source, {});
  const out: Block[] = [];
  let heading: string | null = null;
  let inHeading = false;
  let cells: string[] | null = null;
  for (const tok of tokens) {
    switch (tok.type) {
      case 'heading_open':
        inHeading = true;
        break;
      case 'heading_close':
        inHeading = false;
        break;
      case 'tr_open':
        cells = [];
        break;
      case 'tr_close':
        if (cells && cells.some((c) => c)) out.push({ heading, text: cells.join(' | ') });
        cells = null;
        break;
      case 'inline': {
        const text = inlineText(tok.children ?? []).trim();
        if (inHeading) heading = text || heading;
        else if (cells) cells.push(text);
        else if (text) out.push({ heading, text });
        break;
      }
      case 'fence':
      case 'code_block':
        if (tok.content.trim()) out.push({ heading, text: tok.content.trim() });
        break;
    }
  }
  return out;
}

function inlineText(children: { type: string; content: string }[]): string {
  let s = '';
  for (const c of children) {
    if (c.type === 'text' || c.type === 'code_inline') s += c.content;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') s += ' ';
    else if (c.type === 'image') s += c.content;
  }
  return s;
}

/** The article's words without markup: the search index and the snippets are made from it. */
export function plainText(source: string): string {
  const parts: string[] = [];
  let last: string | null = null;
  for (const b of blocks(source)) {
    if (b.heading && b.heading !== last) parts.push(b.heading);
    last = b.heading;
    parts.push(b.text);
  }
  return parts.join('\n');
}

export interface Passage {
  heading: string | null;
  text: string;
}

/** A passage holds whole blocks up to about this many characters (a list under one heading stays together). */
const PASSAGE_CHARS = 360;

/**
 * The article cut into passages for the assistant: a new passage at every heading, and when the next block would make
 * the passage longer than PASSAGE_CHARS. A block is never cut (a step of a procedure stays whole).
 */
export function passages(source: string): Passage[] {
  const out: Passage[] = [];
  let current: Passage | null = null;
  for (const b of blocks(source)) {
    if (!current || current.heading !== b.heading || current.text.length + b.text.length + 1 > PASSAGE_CHARS) {
      current = { heading: b.heading, text: b.text };
      out.push(current);
    } else current.text += `\n${b.text}`;
  }
  return out;
}
