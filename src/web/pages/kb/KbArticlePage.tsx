// One article for staff: the rendered text, its facts and counts, its revisions and the difference between two.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Modal, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DiffOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { kbApi, kbKeys, type KbDiff, type KbRevision } from '../../api/kb.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { KbStateTags, useLines } from './parts.js';

export default function KbArticlePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const lines = useLines();
  const article = useQuery({ queryKey: kbKeys.article(id), queryFn: () => kbApi.get(id), enabled: Number.isInteger(id) && id > 0 });
  const revisions = useQuery({ queryKey: kbKeys.revisions(id), queryFn: () => kbApi.revisions(id), enabled: article.isSuccess });
  const [picked, setPicked] = useState<number[]>([]);
  const [diffOpen, setDiffOpen] = useState(false);

  if (article.isLoading) return <Skeleton active />;
  if (article.isError || !article.data) {
    return <Result status="404" title={t('kb.notFound')} subTitle={article.error?.message} extra={<Link to="/kb">{t('kb.backToList')}</Link>} />;
  }
  const a = article.data;
  const items = revisions.data?.items ?? [];
  const [from, to] = [...picked].sort((x, y) => x - y);

  return (
    <div>
      <PageHeader
        back={
          <Link to="/kb">
            <ArrowLeftOutlined /> {t('kb.backToList')}
          </Link>
        }
        docTitle={a.title}
        title={
          <Space size={8} wrap>
            <span data-testid="kb-article-title">{a.title}</span>
            <KbStateTags visibility={a.visibility} status={a.status} />
          </Space>
        }
        subtitle={
          <Space size={12} wrap>
            <span>
              {t('field.updatedAt')}: <DateTime value={a.updatedAt} /> {a.updatedBy ? `· ${a.updatedBy.name}` : ''}
            </span>
            <span>{t('kb.versionN', { n: a.version })}</span>
          </Space>
        }
        extra={
          <Link to={`/kb/${a.id}/edit`}>
            <Button type="primary" icon={<EditOutlined />} data-testid="kb-edit">
              {t('common.edit')}
            </Button>
          </Link>
        }
      />
      {a.needsPublicReview && <Alert type="warning" showIcon title={t('kb.needsPublicReview')} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card>
            {a.summary && <Typography.Paragraph type="secondary">{a.summary}</Typography.Paragraph>}
            {/* Rendered by markdown-it without raw HTML and sanitised on the server (domain/kb/markdown.ts). */}
            <div className="ac-article" data-testid="kb-article-body" dangerouslySetInnerHTML={{ __html: a.html }} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <div className="ac-stack">
            <Card title={t('kb.facts')} size="small">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('kb.field.category')}>{t(`kb.category.${a.category}`)}</Descriptions.Item>
                <Descriptions.Item label={t('kb.field.productLine')}>{lines.label(a.productLine) ?? t('kb.allProducts')}</Descriptions.Item>
                <Descriptions.Item label={t('kb.field.tags')}>{a.tags.length ? a.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('kb.helpful')}>{t('kb.helpfulCounts', { yes: a.helpfulYes, no: a.helpfulNo })}</Descriptions.Item>
                {a.sourceTicket && (
                  <Descriptions.Item label={t('kb.sourceTicket')}>
                    <Link to={`/tickets/${a.sourceTicket}`}>{a.sourceTicket}</Link>
                  </Descriptions.Item>
                )}
                {a.visibility === 'public' && a.status === 'published' && (
                  <Descriptions.Item label={t('kb.portalLink')}>
                    <a href={`/portal/kb/${a.id}`} target="_blank" rel="noreferrer">
                      /portal/kb/{a.id}
                    </a>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
            <Card
              title={t('kb.revisions')}
              size="small"
              extra={
                <Button size="small" icon={<DiffOutlined />} disabled={picked.length !== 2} onClick={() => setDiffOpen(true)} data-testid="kb-compare">
                  {t('kb.compare')}
                </Button>
              }
            >
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('kb.compareHint')}
              </Typography.Paragraph>
              <Table<KbRevision>
                rowKey="revision"
                size="small"
                pagination={false}
                loading={revisions.isLoading}
                dataSource={items}
                rowSelection={{
                  selectedRowKeys: picked,
                  onChange: (keys) => setPicked((keys as number[]).slice(-2)),
                  getCheckboxProps: (r) => ({ 'aria-label': t('kb.pickRevision', { n: r.revision }) }),
                }}
                columns={[
                  { title: '#', dataIndex: 'revision', width: 44 },
                  {
                    title: t('kb.revision'),
                    key: 'who',
                    render: (_: unknown, r) => (
                      <div>
                        <div>
                          <DateTime value={r.createdAt} /> {r.author?.name}
                        </div>
                        {r.note && <div className="ac-muted" style={{ fontSize: 12 }}>{r.note}</div>}
                      </div>
                    ),
                  },
                ]}
              />
            </Card>
          </div>
        </Col>
      </Row>
      <Modal open={diffOpen} onCancel={() => setDiffOpen(false)} footer={null} width={880} title={t('kb.diffTitle', { from, to })} destroyOnHidden>
        {from !== undefined && to !== undefined && <DiffView id={a.id} from={from} to={to} />}
      </Modal>
    </div>
  );
}

function DiffView({ id, from, to }: { id: number; from: number; to: number }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: kbKeys.diff(id, from, to), queryFn: () => kbApi.diff(id, from, to) });
  if (q.isLoading) return <Skeleton active />;
  if (q.isError || !q.data) return <Alert type="error" showIcon title={t('errors.loadFailed')} description={q.error?.message} />;
  const d: KbDiff = q.data;
  const same = d.fields.length === 0 && [d.title, d.summary, d.body].every((parts) => parts.every((p) => p.op === 'equal'));
  if (same) return <Empty description={t('kb.noDifference')} />;
  const show = (v: unknown) => (Array.isArray(v) ? v.join('、') || '—' : v === null || v === '' ? '—' : String(v));
  return (
    <div data-testid="kb-diff">
      {d.fields.length > 0 && (
        <Descriptions column={1} size="small" bordered style={{ marginBottom: 12 }}>
          {d.fields.map((f) => (
            <Descriptions.Item key={f.field} label={t(`kb.field.${f.field}`)}>
              <del className="ac-diff-del">{show(f.before)}</del> → <ins className="ac-diff-ins">{show(f.after)}</ins>
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {(['title', 'summary', 'body'] as const).map((k) =>
        d[k].some((p) => p.op !== 'equal') ? (
          <div key={k} style={{ marginBottom: 12 }}>
            <Typography.Text strong>{t(`kb.field.${k}`)}</Typography.Text>
            <pre className="ac-diff">
              {d[k].map((p, i) =>
                p.op === 'insert' ? (
                  <ins key={i} className="ac-diff-ins">
                    {p.text}
                  </ins>
                ) : p.op === 'delete' ? (
                  <del key={i} className="ac-diff-del">
                    {p.text}
                  </del>
                ) : (
                  <span key={i}>{p.text}</span>
                ),
              )}
            </pre>
          </div>
        ) : null,
      )}
    </div>
  );
}
