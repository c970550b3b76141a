// Small pieces the knowledge-base pages share: marked snippets, tags for category / visibility / status, line names.
import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { kbApi, kbKeys, type KbSegment } from '../../api/kb.js';

/** Server-marked text: the query's words in <mark>. */
export function Segments({ segments, testId }: { segments: KbSegment[]; testId?: string }) {
  return (
    <span data-testid={testId}>
      {segments.map((s, i) =>
        s.hit ? (
          <mark key={i} className="ac-hit">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </span>
  );
}

export function KbStateTags({ visibility, status }: { visibility: string; status: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={visibility === 'public' ? 'green' : 'gold'}>{t(`kb.visibility.${visibility}`)}</Tag>
      {status === 'draft' && <Tag>{t('kb.status.draft')}</Tag>}
    </>
  );
}

/** The product lines with their names in the current language (from the server). */
export function useLines() {
  const q = useQuery({ queryKey: kbKeys.lines, queryFn: () => kbApi.lines(), staleTime: 5 * 60_000 });
  const items = q.data?.items ?? [];
  const label = (line: string | null) => (line ? (items.find((i) => i.line === line)?.label ?? line) : null);
  return { items, label };
}
