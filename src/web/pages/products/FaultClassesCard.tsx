// The fault classes labour is priced by: a short list managers and admins edit.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, Modal, Space, Tag } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { productApi, type FaultClass } from '../../api/products.js';

export function faultName(classes: FaultClass[] | undefined, code: string, lang: string): string {
  const c = classes?.find((x) => x.code === code);
  return c ? (lang === 'en' ? c.nameEn : c.nameZh) : code;
}

export function FaultClassesCard({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const classes = useQuery({ queryKey: ['fault-classes'], queryFn: productApi.faultClasses });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ items: FaultClass[] }>();
  const save = async (v: { items: FaultClass[] }) => {
    try {
      await productApi.setFaultClasses(v.items);
      await qc.invalidateQueries({ queryKey: ['fault-classes'] });
      void message.success(t('products.saved'));
      setOpen(false);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <Card
      size="small"
      title={t('products.faultClasses')}
      extra={canEdit && <Button size="small" icon={<EditOutlined />} onClick={() => setOpen(true)}>{t('products.faultClassesEdit')}</Button>}
    >
      <Space wrap>
        {(classes.data?.items ?? []).map((c) => (
          <Tag key={c.code}>
            {faultName(classes.data?.items, c.code, i18n.language)} <span className="ac-muted">{c.code}</span>
          </Tag>
        ))}
      </Space>
      {open && (
        <Modal open title={t('products.faultClassesEdit')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={t('common.save')} width={640} destroyOnHidden>
          <Form form={form} initialValues={{ items: classes.data?.items ?? [] }} onFinish={save}>
            <Form.List name="items">
              {(fields, { add, remove }) => (
                <Flex vertical gap={4}>
                  {fields.map((f) => (
                    <Flex key={f.key} gap={8} align="start">
                      <Form.Item name={[f.name, 'code']} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,29}$/, message: t('products.faultCodeRule') }]} style={{ flex: '0 0 140px' }}>
                        <Input placeholder={t('products.faultCode')} aria-label={t('products.faultCode')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'nameZh']} rules={[{ required: true, message: t('products.required') }]} style={{ flex: 1 }}>
                        <Input placeholder={t('products.faultNameZh')} aria-label={t('products.faultNameZh')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'nameEn']} rules={[{ required: true, message: t('products.required') }]} style={{ flex: 1 }}>
                        <Input placeholder={t('products.faultNameEn')} aria-label={t('products.faultNameEn')} />
                      </Form.Item>
                      <Button icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(f.name)} />
                    </Flex>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ code: '', nameZh: '', nameEn: '' })}>
                    {t('products.addFaultClass')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form>
        </Modal>
      )}
    </Card>
  );
}
