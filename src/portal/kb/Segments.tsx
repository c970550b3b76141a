import type { KbSegment } from './client.js';

/** Server-marked text: the words searched for in <mark>. */
export function Segments({ segments }: { segments: KbSegment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.hit ? <mark key={i} className="pt-hit">{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
