import type { ReactNode } from 'react';
import { highlightRanges } from './highlight.js';

/** `text` with the words of a search `query` marked (<mark>), as the server matched them. */
export function Highlight({ text, query }: { text: string; query: string | undefined }) {
  const ranges = highlightRanges(text, query);
  if (ranges.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className="ac-hit">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
