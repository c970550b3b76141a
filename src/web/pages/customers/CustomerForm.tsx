import { Button, Card, Col, Form, Input, Radio, Row, Space, Switch, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_KINDS, CUSTOMER_TIERS, type CustomerKind, type CustomerTier } from '../../../shared/enums.js';
import type { ContactInput, Customer, CustomerCreateBody } from '../../api/types.js';
import { EnumSelect } from '../../components/selects.js';

export interface CustomerFormValues {
  kind: CustomerKind;
  name: string;
  company?: string;
  phone?: string;
  email?: string;
  address?: string;
  tier: CustomerTier;
  specialNeeds: boolean;
  specialNeedsNote?: string;
  notes?: string;
  contacts?: { name?: string; phone?: string; email?: string; title?: string }[];
}

const nullable = (s: string | undefined | null) => (s && s.trim() ? s.trim() : null);

export function customerToValues(c: Customer): CustomerFormValues {
  return {
    kind: c.kind,
    name: c.name,
    company: c.company ?? '',
    phone: c.phone ?? '',
    email: c.email ?? '',
    address: c.address ?? '',
    tier: c.tier,
    specialNeeds: c.specialNeeds,
    specialNeedsNote: c.specialNeedsNote ?? '',
    notes: c.notes ?? '',
    contacts: c.contacts.map((x) => ({ name: x.name, phone: x.phone ?? '', email: x.email ?? '', title: x.title ?? '' })),
  };
}

export function valuesToBody(v: CustomerFormValues): CustomerCreateBody & { contacts: ContactInput[] } {
  return {
    kind: v.kind,
    name: v.name.trim(),
    company: nullable(v.company),
    phone: nullable(v.phone),
    email: nullable(v.email),
    address: nullable(v.address),
    tier: v.tier,
    specialNeeds: v.specialNeeds,
    specialNeedsNote: v.specialNeeds ? nullable(v.specialNeedsNote) : null,
    notes: nullable(v.notes),
    contacts: (v.contacts ?? [])
      .filter((c) => c.name?.trim())
      .map((c) => ({
        name: (c.name ?? '').trim(),
        phone: nullable(c.phone),
        email: nullable(c.email),
        title: nullable(c.title),
      })),
  };
}

export const EMPTY_CUSTOMER: CustomerFormValues = { kind: 'person', name: '', tier: 'normal', specialNeeds: false, contacts: [] };

export function CustomerFormFields({ form }: { form: FormInstance<CustomerFormValues> }) {
  const { t } = useTranslation();
  const specialNeeds = Form.useWatch('specialNeeds', form);
  const kind = Form.useWatch('kind', form);
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="kind" label={t('customer.kindLabel')}>
            <Radio.Group optionType="button" options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`customerKind.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="tier" label={t('customer.tier')}>
            <EnumSelect values={CUSTOMER_TIERS} ns="tier" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="name"
            label={kind === 'company' ? t('customer.companyName') : t('customer.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('customer.name') }) }]}
          >
            <Input maxLength={100} data-testid="customer-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="company" label={t('customer.company')}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="phone" label={t('customer.phone')}>
            <Input maxLength={40} inputMode="tel" data-testid="customer-phone" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="email" label={t('customer.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
            <Input maxLength={200} inputMode="email" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="address" label={t('customer.address')}>
            <Input maxLength={300} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="specialNeeds" label={t('customer.specialNeeds')} valuePropName="checked" extra={t('customer.specialNeedsHint')}>
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="specialNeedsNote" label={t('customer.specialNeedsNote')}>
            <Input maxLength={200} disabled={!specialNeeds} placeholder={t('customer.specialNeedsNotePlaceholder')} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="notes" label={t('customer.notes')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>
      <Form.List name="contacts">
        {(fields, { add, remove }) => (
          <Card
            size="small"
            title={t('customer.contacts')}
            extra={
              <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 20}>
                {t('customer.addContact')}
              </Button>
            }
          >
            {fields.length === 0 && <div className="ac-muted">{t('customer.noContacts')}</div>}
            {fields.map((field) => (
              <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                <Form.Item
                  name={[field.name, 'name']}
                  rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('customer.contactName') }) }]}
                  style={{ marginBottom: 8 }}
                >
                  <Input placeholder={t('customer.contactName')} maxLength={100} style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'title']} style={{ marginBottom: 8 }}>
                  <Input placeholder={t('customer.contactTitle')} maxLength={60} style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'phone']} style={{ marginBottom: 8 }}>
                  <Input placeholder={t('customer.phone')} maxLength={40} style={{ width: 150 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'email']} rules={[{ type: 'email', message: t('validation.email') }]} style={{ marginBottom: 8 }}>
                  <Input placeholder={t('customer.email')} maxLength={200} style={{ width: 190 }} />
                </Form.Item>
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.remove')} />
              </Space>
            ))}
          </Card>
        )}
      </Form.List>
    </>
  );
}
