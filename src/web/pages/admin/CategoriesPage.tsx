// 问题分类: the category tree tickets are filed under (and routing rules match by code prefix). Codes never change once
// tickets use them, so a category is deactivated rather than deleted; inactive ones stay in the tree, greyed.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { directoryApi } from '../../api/endpoints.js';
import { categoryForest, qk, useCategories, type CategoryTreeRow } from '../../api/queries.js';
import type { Category } from '../../api/types.js';
import { AdminGate, useCanEdit, useFormSave, useRowActions } from './common.js';
import { activeColumn, EditButton, SettingsList } from './SettingsList.js';

// One level of a code: the server joins levels with dots (product.noise).
const SEGMENT = /^[a-z0-9_]+$/;
const SORT_STEP = 10;

interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  sort: number;
  active: boolean;
}

/** What the dialog edits: an existing category, or a new one under `parent` (null: a root). */
type Editing = { category: Category } | { parent: Category | null; nextSort: number };

export default function CategoriesPage() {
  return (
    <AdminGate page="categories">
      <Categories />
    </AdminGate>
  );
}

/** The next free sort value after the last child of `parent`. */
function nextSort(items: Category[], parent: string | null): number {
  const siblings = items.filter((c) => c.parentCode === parent);
  return siblings.length ? Math.max(...siblings.map((c) => c.sort)) + SORT_STEP : SORT_STEP;
}

function Categories() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  const categories = useCategories();
  const tree = useMemo(() => categoryForest(categories.items), [categories.items]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const actions = useRowActions(qk.categories);

  const columns: ColumnsType<CategoryTreeRow> = [
    {
      title: t('admin.cats.nameZh'),
      dataIndex: 'nameZh',
      render: (name: string, c) => (
        <Space size={6} wrap>
          <span style={{ fontWeight: c.parentCode ? 400 : 500 }}>{name}</span>
          {!c.active && <Tag style={{ marginInlineEnd: 0 }}>{t('admin.inactive')}</Tag>}
        </Space>
      ),
    },
    { title: t('admin.cats.nameEn'), dataIndex: 'nameEn', width: 220 },
    { title: t('admin.cats.code'), dataIndex: 'code', width: 220, render: (v: string) => <span className="ac-number">{v}</span> },
    { title: t('admin.cats.sort'), dataIndex: 'sort', width: 80, align: 'right' },
    activeColumn<CategoryTreeRow>(t, {
      canEdit,
      actions,
      id: (c) => c.code,
      toggle: (c, active) => directoryApi.patchCategory(c.code, { active }),
      testId: (c) => `cat-active-${c.code}`,
    }),
    ...(canEdit
      ? [
          {
            title: '',
            key: 'actions',
            width: 96,
            render: (_: unknown, c: CategoryTreeRow) => (
              <Space size={0}>
                <Tooltip title={t('admin.cats.addChild')}>
                  <Button
                    type="text"
                    icon={<PlusOutlined />}
                    onClick={() => setEditing({ parent: c, nextSort: nextSort(categories.items, c.code) })}
                    aria-label={t('admin.cats.addChild')}
                    data-testid={`cat-add-${c.code}`}
                  />
                </Tooltip>
                <EditButton onClick={() => setEditing({ category: c })} testId={`cat-edit-${c.code}`} />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <SettingsList
      title={t('nav.admin.categories')}
      subtitle={t('admin.cats.subtitle')}
      onRefresh={() => void categories.refetch()}
      newButton={{ label: t('admin.cats.newRoot'), testId: 'cat-new-root', onClick: () => setEditing({ parent: null, nextSort: nextSort(categories.items, null) }) }}
      error={categories.error}
      dialog={editing && <CategoryModal editing={editing} onClose={() => setEditing(null)} />}
    >
      {tree.length > 0 && (
        <Table<CategoryTreeRow>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={tree}
          loading={categories.isFetching}
          rowClassName={(c) => (c.active ? '' : 'ac-row-inactive')}
          expandable={{ defaultExpandAllRows: true }}
          pagination={false}
          scroll={{ x: 900 }}
          data-testid="cat-table"
        />
      )}
      {!categories.isLoading && tree.length === 0 && <Typography.Text type="secondary">{t('admin.cats.empty')}</Typography.Text>}
    </SettingsList>
  );
}

function CategoryModal({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const { busy, error, save } = useFormSave(form, qk.categories, onClose);
  const category = 'category' in editing ? editing.category : null;
  const parent = 'parent' in editing ? editing.parent : null;
  const prefix = parent ? `${parent.code}.` : '';

  useEffect(() => {
    form.setFieldsValue({
      code: '',
      nameZh: category?.nameZh ?? '',
      nameEn: category?.nameEn ?? '',
      sort: category?.sort ?? ('nextSort' in editing ? editing.nextSort : SORT_STEP),
      active: category?.active ?? true,
    });
  }, [form, category, editing]);

  const send = (v: FormValues) => {
    const names = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), sort: v.sort };
    if (category) return directoryApi.patchCategory(category.code, { ...names, active: v.active });
    return directoryApi.createCategory({ ...names, code: prefix + v.code.trim(), parentCode: parent?.code ?? null });
  };

  const required = (field: string) => ({ required: true, whitespace: true, message: t('validation.required', { field }) });
  const title = category
    ? t('admin.cats.editTitle', { name: category.name })
    : parent
      ? t('admin.cats.newChildTitle', { name: parent.name })
      : t('admin.cats.newRoot');

  return (
    <Modal
      open
      width={560}
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void save(send)}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'cat-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        {category ? (
          <Form.Item label={t('admin.cats.code')}>
            <Typography.Text className="ac-number">{category.code}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item label={t('admin.cats.code')} extra={t('admin.cats.codeHint')} required>
            <Space.Compact style={{ width: '100%' }}>
              {prefix && <Space.Addon>{prefix}</Space.Addon>}
              <Form.Item name="code" noStyle rules={[required(t('admin.cats.code')), { pattern: SEGMENT, message: t('admin.cats.codeFormat') }]}>
                <Input maxLength={60 - prefix.length} autoComplete="off" data-testid="cat-code" />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        )}
        <Form.Item name="nameZh" label={t('admin.cats.nameZh')} rules={[required(t('admin.cats.nameZh'))]}>
          <Input maxLength={60} data-testid="cat-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('admin.cats.nameEn')} rules={[required(t('admin.cats.nameEn'))]}>
          <Input maxLength={60} data-testid="cat-name-en" />
        </Form.Item>
        <Form.Item name="sort" label={t('admin.cats.sort')} extra={t('admin.cats.sortHint')}>
          <InputNumber min={0} max={10_000} precision={0} style={{ width: 140 }} />
        </Form.Item>
        {category && (
          <Form.Item name="active" label={t('admin.active')} valuePropName="checked" extra={t('admin.cats.activeHint')}>
            <Switch />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
