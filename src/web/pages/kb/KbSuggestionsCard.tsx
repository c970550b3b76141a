// Beside a ticket: knowledge-base articles matching its title and description. One click puts an article into the
// reply box (title, summary, the portal link of a public one); "make an article" turns an answered ticket into an
// internal draft.
import { useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Space, Tooltip, Typography } from 'antd';
import { BookOutlined, FileAddOutlined, ImportOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { kbApi, kbKeys, type KbSuggestion } from '../../api/kb.js';
import { KbStateTags, Segments } from './parts.js';

/** What an article puts into a reply: its title, summary, and where the customer reads it (public ones only). */
export function replyTextFor(a: KbSuggestion, lead: string): string {
  return [lead, `《${a.title}》`, a.summary, a.url ?? ''].filter(Boolean).join('\n');
}

export function KbSuggestionsCard({ number, canWrite, canDraft, onInsert }: { number: string; canWrite: boolean; canDraft: boolean; onInsert: (text: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: kbKeys.suggest(number), queryFn: () => kbApi.suggestForTicket(number), staleTime: 60_000 });

  const draft = async () => {
    try {
      const a = await kbApi.fromTicket(number);
      void queryClient.invalidateQueries({ queryKey: kbKeys.all });
      void message.success(t('kb.draftMade'));
      navigate(`/kb/${a.id}/edit`);
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <BookOutlined /> {t('kb.suggested')}
        </Space>
      }
      extra={
        canDraft ? (
          <Tooltip title={t('kb.fromTicketHint')}>
            <Button size="small" icon={<FileAddOutlined />} onClick={() => void draft()} data-testid="kb-from-ticket">
              {t('kb.fromTicket')}
            </Button>
          </Tooltip>
        ) : null
      }
      data-testid="kb-suggestions"
    >
      <List<KbSuggestion>
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q.isError ? q.error.message : t('kb.noSuggestions')} /> }}
        renderItem={(a) => (
          <List.Item
            data-testid="kb-suggestion"
            actions={
              canWrite
                ? [
                    <Button key="insert" size="small" type="link" icon={<ImportOutlined />} onClick={() => onInsert(replyTextFor(a, t('kb.replyLead')))} data-testid="kb-insert" aria-label={t('kb.insertNamed', { title: a.title })}>
                      {t('kb.insert')}
                    </Button>,
                  ]
                : undefined
            }
          >
            <List.Item.Meta
              title={
                <Space size={4} wrap>
                  <a href={`/kb/${a.id}`} onClick={(e) => { e.preventDefault(); navigate(`/kb/${a.id}`); }}>
                    {a.title}
                  </a>
                  {a.visibility === 'internal' && <KbStateTags visibility={a.visibility} status="published" />}
                </Space>
              }
              description={
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0, fontSize: 13 }}>
                  <Segments segments={a.snippet} />
                </Typography.Paragraph>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
