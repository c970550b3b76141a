// Writing an article: Markdown with a preview rendered by the server exactly as readers get it, its facts, who reads
// it (public / internal) and whether it is published; each save with a change is a revision with an optional note.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Radio, Result, Row, Select, Skeleton, Space, Tabs } from 'antd';
import { ArrowLeftOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { KB_CATEGORIES } from '../../../shared/kb.js';
import { isApiError } from '../../api/client.js';
import { kbApi, kbKeys, type KbArticle, type KbArticleInput } from '../../api/kb.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useLines } from './parts.js';

type Values = Required<Pick<KbArticleInput, 'title' | 'body' | 'category' | 'visibility' | 'status'>> & {
  summary: string;
  tags: string[];
  productLine: string | null;
  note?: string;
  reviewedForPublic?: boolean;
};

export default function KbEditorPage() {
  const params = useParams();
  const id = params.id ? Number(params.id) : null;
  const { t } = useTranslation();
  const article = useQuery({ queryKey: kbKeys.article(id ?? 0), queryFn: () => kbApi.get(id!), enabled: id !== null });
  if (id !== null && article.isLoading) return <Skeleton active />;
  if (id !== null && (article.isError || !article.data)) return <Result status="404" title={t('kb.notFound')} subTitle={article.error?.message} />;
  return <Editor article={article.data ?? null} />;
}

function Editor({ article }: { article: KbArticle | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const lines = useLines();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState('write');
  const [preview, setPreview] = useState<{ html: string } | null>(null);
  const visibility = Form.useWatch('visibility', form);
  const body = Form.useWatch('body', form);

  useEffect(() => {
    if (tab !== 'preview') return;
    const ctl = new AbortController();
    kbApi.preview(body ?? '', ctl.signal).then(setPreview, () => undefined);
    return () => ctl.abort();
  }, [tab, body]);

  const initial: Values = article
    ? { title: article.title, summary: article.summary, body: article.body ?? '', category: article.category, tags: article.tags, productLine: article.productLine, visibility: article.visibility, status: article.status }
    : { title: '', summary: '', body: '', category: 'faq', tags: [], productLine: null, visibility: 'internal', status: 'draft' };

  const save = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const payload = { ...v, productLine: v.productLine ?? null, note: v.note?.trim() || undefined, reviewedForPublic: v.reviewedForPublic || undefined };
      const saved = article ? await kbApi.patch(article.id, { ...payload, version: article.version }) : await kbApi.create(payload);
      void queryClient.invalidateQueries({ queryKey: kbKeys.all });
      void message.success(t('kb.saved'));
      navigate(`/kb/${saved.id}`);
    } catch (err) {
      const { applied, unplaced } = applyServerErrors(form, err);
      if (unplaced.length) setError(unplaced.map((u) => u.message).join('；'));
      else if (!applied) setError(isApiError(err) || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader
        back={
          <Link to={article ? `/kb/${article.id}` : '/kb'}>
            <ArrowLeftOutlined /> {article ? article.title : t('kb.backToList')}
          </Link>
        }
        title={article ? t('kb.editTitle') : t('kb.newTitle')}
        testId="page-title"
      />
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void save(v)} data-testid="kb-form">
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card>
              <Form.Item name="title" label={t('kb.field.title')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                <Input maxLength={200} data-testid="kb-title" />
              </Form.Item>
              <Form.Item name="summary" label={t('kb.field.summary')} extra={t('kb.summaryHint')}>
                <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="kb-summary" />
              </Form.Item>
              <Tabs
                activeKey={tab}
                onChange={setTab}
                items={[
                  {
                    key: 'write',
                    label: t('kb.write'),
                    forceRender: true,
                    children: (
                      <Form.Item name="body" label={t('kb.field.body')} extra={t('kb.markdownHint')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                        <Input.TextArea autoSize={{ minRows: 14, maxRows: 30 }} maxLength={100000} className="ac-mono" data-testid="kb-body" />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'preview',
                    label: <span data-testid="kb-preview-tab">{t('kb.preview')}</span>,
                    children: preview ? <div className="ac-article" data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: preview.html }} /> : <Skeleton active />,
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card>
              <Form.Item name="category" label={t('kb.field.category')}>
                <Select options={KB_CATEGORIES.map((c) => ({ value: c, label: t(`kb.category.${c}`) }))} />
              </Form.Item>
              <Form.Item name="productLine" label={t('kb.field.productLine')}>
                <Select allowClear placeholder={t('kb.allProducts')} options={lines.items.map((l) => ({ value: l.line, label: l.label }))} />
              </Form.Item>
              <Form.Item name="tags" label={t('kb.field.tags')} extra={t('kb.tagsHint')}>
                <Select mode="tags" maxCount={10} tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
              </Form.Item>
              <Form.Item name="visibility" label={t('kb.field.visibility')}>
                <Radio.Group optionType="button" options={[{ value: 'internal', label: t('kb.visibility.internal') }, { value: 'public', label: t('kb.visibility.public') }]} />
              </Form.Item>
              <Form.Item name="status" label={t('kb.field.status')} extra={t('kb.publishHint')}>
                <Radio.Group optionType="button" options={[{ value: 'draft', label: t('kb.status.draft') }, { value: 'published', label: t('kb.status.published') }]} />
              </Form.Item>
              {article?.needsPublicReview && visibility === 'public' && (
                <Form.Item name="reviewedForPublic" valuePropName="checked" extra={t('kb.reviewedHint')}>
                  <Checkbox data-testid="kb-reviewed">{t('kb.reviewedForPublic')}</Checkbox>
                </Form.Item>
              )}
              {article && (
                <Form.Item name="note" label={t('kb.field.note')}>
                  <Input maxLength={200} placeholder={t('kb.notePlaceholder')} />
                </Form.Item>
              )}
              {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="kb-error" />}
              <Space>
                <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="kb-save">
                  {t('common.save')}
                </Button>
                <Link to={article ? `/kb/${article.id}` : '/kb'}>
                  <Button>{t('common.cancel')}</Button>
                </Link>
              </Space>
            </Card>
          </Col>
        </Row>
      </Form>
    </div>
  );
}
