// 产品目录: models with warranty term, installation rule, fee standard (call-out, labour per fault class) and return
// window. Managers and admins edit; everyone else reads.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { productApi, yuan, type FaultClass, type Product } from '../../api/products.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SearchBox } from '../../components/SearchBox.js';
import { FaultClassesCard, faultName } from './FaultClassesCard.js';
import { InstallationChecklistEditor } from './InstallationChecklistEditor.js';

type FormValues = { model: string; name: string; line: string; warrantyMonths: number; needsInstallation: boolean; callout: number; labour: Record<string, number | null>; returnDays: number };

export default function ProductsPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const canEdit = user.role === 'manager' || user.role === 'admin';
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q')?.trim() || undefined;
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const params = useMemo(() => ({ q, limit: 100 }), [q]);
  const query = useInfiniteQuery({
    queryKey: ['products', params],
    queryFn: ({ pageParam, signal }) => productApi.list({ ...params, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const classes = useQuery({ queryKey: ['fault-classes'], queryFn: productApi.faultClasses });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const lang = i18n.language;

  return (
    <div>
      <PageHeader
        title={t('products.title')}
        subtitle={t('products.subtitle')}
        testId="page-title"
        extra={
          canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-product">
              {t('products.new')}
            </Button>
          )
        }
      />
      <Flex vertical gap={16}>
        <Card>
          <Flex gap={8} wrap style={{ marginBottom: 16 }}>
            <SearchBox value={q} onSearch={(v) => setSp(v ? { q: v } : {})} placeholder={t('products.search')} testId="product-search" />
          </Flex>
          {!canEdit && <Typography.Paragraph type="secondary">{t('products.readOnly')}</Typography.Paragraph>}
          {query.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={query.error.message} style={{ marginBottom: 16 }} />}
          <div data-testid="product-table">
            <Table<Product>
              rowKey="id"
              size="middle"
              loading={query.isLoading}
              dataSource={rows}
              pagination={false}
              scroll={{ x: 1100 }}
              columns={[
                { title: t('products.model'), dataIndex: 'model', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
                { title: t('products.name'), dataIndex: 'name' },
                { title: t('products.line'), dataIndex: 'line', width: 110 },
                { title: t('products.warrantyMonths'), dataIndex: 'warrantyMonths', width: 110, render: (v: number) => t('products.months', { count: v }) },
                { title: t('products.needsInstallation'), dataIndex: 'needsInstallation', width: 110, render: (v: boolean) => (v ? <Tag color="blue">{t('products.installed')}</Tag> : <span className="ac-muted">—</span>) },
                { title: t('products.calloutFee'), dataIndex: 'calloutFee', width: 110, render: (v: number) => yuan(v, lang) },
                {
                  title: t('products.labourFees'),
                  dataIndex: 'labourFees',
                  render: (fees: Record<string, number>) => (
                    <Space size={4} wrap>
                      {Object.entries(fees).map(([code, fen]) => (
                        <Tag key={code} style={{ marginInlineEnd: 0 }}>
                          {faultName(classes.data?.items, code, lang)} {yuan(fen, lang)}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                { title: t('products.returnDays'), dataIndex: 'returnDays', width: 100, render: (v: number) => t('products.days', { count: v }) },
                { title: t('products.unitCount'), dataIndex: 'unitCount', width: 90 },
                ...(canEdit
                  ? [
                      {
                        key: 'edit',
                        width: 70,
                        render: (_: unknown, p: Product) => <Button size="small" icon={<EditOutlined />} aria-label={t('products.edit')} onClick={() => setEditing(p)} data-testid={`edit-product-${p.model}`} />,
                      },
                    ]
                  : []),
              ]}
            />
          </div>
          {query.hasNextPage && (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} style={{ marginTop: 12 }}>
              {t('common.loadMore')}
            </Button>
          )}
        </Card>
        <FaultClassesCard canEdit={canEdit} />
        <Card size="small" title={t('products.compatibleParts')}>
          <Typography.Text type="secondary">{t('products.partsLater')}</Typography.Text>
        </Card>
      </Flex>
      {editing && <ProductModal product={editing === 'new' ? null : editing} classes={classes.data?.items ?? []} onClose={() => setEditing(null)} />}
    </div>
  );
}

function ProductModal({ product, classes, onClose }: { product: Product | null; classes: FaultClass[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const initial: Partial<FormValues> = product
    ? { ...product, callout: product.calloutFee / 100, labour: Object.fromEntries(Object.entries(product.labourFees).map(([k, v]) => [k, v / 100])) }
    : { warrantyMonths: 12, needsInstallation: false, callout: 0, labour: {}, returnDays: 7 };
  const submit = async (v: FormValues) => {
    const labourFees = Object.fromEntries(Object.entries(v.labour ?? {}).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, Math.round(Number(x) * 100)]));
    const body = { model: v.model, name: v.name, line: v.line, warrantyMonths: v.warrantyMonths, needsInstallation: v.needsInstallation, calloutFee: Math.round((v.callout ?? 0) * 100), labourFees, returnDays: v.returnDays };
    setSaving(true);
    try {
      if (product) await productApi.patch(product.id, { ...body, version: product.version });
      else await productApi.create(body);
      void message.success(t('products.saved'));
      await qc.invalidateQueries({ queryKey: ['products'] });
      onClose();
    } catch (e) {
      const applied = applyServerErrors(form, e, (f) => (f === 'calloutFee' ? ['callout'] : f === 'labourFees' ? null : undefined));
      if (!applied.applied) void message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={product ? t('products.edit') : t('products.new')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={saving} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="product-form">
        <Flex gap={12} wrap>
          <Form.Item name="model" label={t('products.model')} rules={[{ required: true, message: t('products.required') }]} style={{ flex: '1 1 200px' }}>
            <Input maxLength={100} data-testid="product-model" />
          </Form.Item>
          <Form.Item name="line" label={t('products.line')} rules={[{ required: true, message: t('products.required') }]} style={{ flex: '1 1 140px' }}>
            <Input maxLength={40} data-testid="product-line" />
          </Form.Item>
        </Flex>
        <Form.Item name="name" label={t('products.name')} rules={[{ required: true, message: t('products.required') }]}>
          <Input maxLength={200} data-testid="product-name" />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="warrantyMonths" label={t('products.warrantyMonths')} rules={[{ required: true, message: t('products.required') }]}>
            <InputNumber min={0} max={240} precision={0} data-testid="product-warranty" />
          </Form.Item>
          <Form.Item name="returnDays" label={t('products.returnDays')}>
            <InputNumber min={0} max={365} precision={0} />
          </Form.Item>
          <Form.Item name="callout" label={t('products.calloutFee')}>
            <InputNumber min={0} precision={2} prefix="¥" data-testid="product-callout" />
          </Form.Item>
        </Flex>
        <Form.Item name="needsInstallation" valuePropName="checked" extra={t('products.needsInstallationHint')}>
          <Checkbox data-testid="product-needs-installation">{t('products.needsInstallation')}</Checkbox>
        </Form.Item>
        {product?.needsInstallation && <InstallationChecklistEditor model={product.model} />}
        <Typography.Text strong>{t('products.labourFees')}</Typography.Text>
        <Flex gap={12} wrap style={{ marginTop: 8 }}>
          {classes.map((c) => (
            <Form.Item key={c.code} name={['labour', c.code]} label={faultName(classes, c.code, i18n.language)}>
              <InputNumber min={0} precision={2} prefix="¥" data-testid={`product-labour-${c.code}`} />
            </Form.Item>
          ))}
        </Flex>
      </Form>
    </Modal>
  );
}
