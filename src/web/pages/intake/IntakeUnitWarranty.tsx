// On the intake form: a typed serial finds the unit on file, fills the model (and purchase date) and shows its
// warranty status before the ticket is registered.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Form, Typography, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { unitApi } from '../../api/products.js';
import { WarrantyBanner } from '../../components/warranty.js';

export function IntakeUnitWarranty({ form }: { form: FormInstance<any> }) {
  const { t } = useTranslation();
  const serial = (Form.useWatch('serialNumber', form) as string | undefined)?.trim() ?? '';
  const model = (Form.useWatch('productModel', form) as string | undefined)?.trim() ?? '';
  const [typed, setTyped] = useState('');
  // Wait for the agent to stop typing: one lookup per serial, not per key.
  useEffect(() => {
    const timer = setTimeout(() => setTyped(serial), 350);
    return () => clearTimeout(timer);
  }, [serial]);
  const q = useQuery({ queryKey: ['unit-lookup', typed], queryFn: ({ signal }) => unitApi.lookup(typed, undefined, signal), enabled: typed.length >= 3 });
  const items = q.data?.items ?? [];
  const unit = items.find((u) => !model || u.productModel === model) ?? null;
  useEffect(() => {
    if (!unit || typed !== serial) return;
    if (!form.getFieldValue('productModel')) form.setFieldValue('productModel', unit.productModel);
    if (!form.getFieldValue('purchaseDate') && unit.purchaseDate) form.setFieldValue('purchaseDate', dayjs(unit.purchaseDate));
  }, [unit, typed, serial, form]);
  if (!typed || typed !== serial || q.isLoading) return null;
  if (!unit) return <Typography.Text type="secondary" data-testid="intake-unit-none">{t('units.notOnFile', { serial: typed })}</Typography.Text>;
  return (
    <div data-testid="intake-unit">
      <WarrantyBanner warranty={unit.warranty} testId="intake-warranty" />
      <Typography.Text type="secondary">
        <Link to={`/units/${unit.id}`} target="_blank">
          {unit.productName ?? unit.productModel}
        </Link>{' '}
        · {unit.customer.name}
      </Typography.Text>
    </div>
  );
}
