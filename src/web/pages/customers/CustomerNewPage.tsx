import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Space } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { customerApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import { PageHeader } from '../../components/PageHeader.js';
import { applyServerErrors } from '../../components/formErrors.js';
import { CustomerFormFields, EMPTY_CUSTOMER, valuesToBody, type CustomerFormValues } from './CustomerForm.js';

export default function CustomerNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomerFormValues>();
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);

  const onFinish = async (v: CustomerFormValues) => {
    setBusy(true);
    setAlert(null);
    try {
      const c = await customerApi.create(valuesToBody(v));
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      queryClient.removeQueries({ queryKey: qk.customer(c.id) });
      void message.success(t('customers.created', { name: c.name }));
      navigate(`/customers/${c.id}`, { replace: true });
    } catch (err) {
      const { applied, unplaced } = applyServerErrors(form, err);
      if (unplaced.length) setAlert(unplaced.map((u) => u.message).join(t('common.listSeparator')));
      else if (!applied) setAlert(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 900 }}>
      <PageHeader
        back={
          <Button type="link" size="small" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }} onClick={() => navigate('/customers')}>
            {t('customers.backToList')}
          </Button>
        }
        title={t('customers.new')}
        testId="page-title"
      />
      <Card>
        {alert && <Alert type="error" showIcon title={alert} style={{ marginBottom: 16 }} />}
        <Form<CustomerFormValues> form={form} layout="vertical" initialValues={EMPTY_CUSTOMER} onFinish={onFinish} scrollToFirstError>
          <CustomerFormFields form={form} />
          <Space style={{ marginTop: 24 }}>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="customer-submit">
              {t('customers.create')}
            </Button>
            <Button onClick={() => navigate('/customers')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
