// 设备档案: one unit — details, its warranty status in large type, the full service history (its predecessors'
// too), edit, replace, and the QR label that opens the portal's request form with model and serial filled in.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, QRCode, Result, Row, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { EditOutlined, PrinterOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/auth.js';
import { unitApi, type UnitDetail, type UnitHistoryEntry } from '../../api/products.js';
import { DateTime } from '../../components/DateTime.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusTag } from '../../components/tags.js';
import { WarrantyBanner } from '../../components/warranty.js';
import { UnitFormModal } from './UnitFormModal.js';

export default function UnitDetailPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const user = useCurrentUser();
  const canWrite = user.role !== 'qa';
  const [mode, setMode] = useState<'edit' | 'replace' | null>(null);
  const q = useQuery({ queryKey: ['unit', id], queryFn: () => unitApi.get(id), enabled: Number.isInteger(id) && id > 0 });
  if (q.isLoading) return <Skeleton active />;
  if (q.isError || !q.data) return <Result status="404" title={t('units.notFound')} subTitle={q.error?.message} extra={<Link to="/units">{t('units.title')}</Link>} />;
  const u = q.data;
  const dash = <span className="ac-muted">—</span>;
  return (
    <div>
      <PageHeader
        title={
          <Space wrap>
            <span data-testid="unit-serial-title">{u.serialNumber ?? `#${u.id}`}</span>
            <Typography.Text type="secondary" style={{ fontSize: 16 }}>
              {u.productModel}
            </Typography.Text>
          </Space>
        }
        docTitle={u.serialNumber ?? u.productModel}
        testId="page-title"
        back={<Link to="/units">← {t('units.title')}</Link>}
        extra={
          canWrite && (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setMode('edit')} data-testid="edit-unit">
                {t('units.edit')}
              </Button>
              {u.replacedById === null && (
                <Button icon={<SwapOutlined />} onClick={() => setMode('replace')} data-testid="replace-unit">
                  {t('units.replace')}
                </Button>
              )}
            </Space>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <WarrantyBanner warranty={u.warranty} testId="unit-warranty" />
            {u.replacedById !== null && (
              <Alert type="info" showIcon title={<Link to={`/units/${u.replacedById}`}>{t('units.replacedBy')}</Link>} />
            )}
            <Card title={t('units.details')}>
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label={t('units.customer')}>
                  <Link to={`/customers/${u.customer.id}`}>{u.customer.name}</Link>
                  {u.customer.phone && <span className="ac-muted"> · {u.customer.phone}</span>}
                </Descriptions.Item>
                <Descriptions.Item label={t('units.model')}>
                  {u.productModel}
                  {u.productName && <span className="ac-muted"> · {u.productName}</span>}
                </Descriptions.Item>
                <Descriptions.Item label={t('units.purchaseDate')}>{u.purchaseDate ?? dash}</Descriptions.Item>
                <Descriptions.Item label={t('units.proof')}>
                  {u.proofRef || u.proofAttachmentId ? (
                    <Space size={4} wrap>
                      {u.proofRef && <Tag style={{ marginInlineEnd: 0 }}>{u.proofRef}</Tag>}
                      {u.proofAttachmentId && <a href={`/api/attachments/${u.proofAttachmentId}`}>{t('units.proofFile')}</a>}
                    </Space>
                  ) : (
                    <Typography.Text type="warning">{t('units.noProof')}</Typography.Text>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('units.needsInstallation')}>{u.needsInstallation ? t('common.yes') : t('common.no')}</Descriptions.Item>
                <Descriptions.Item label={t('units.installDate')}>{u.installDate ?? dash}</Descriptions.Item>
                <Descriptions.Item label={t('units.acceptanceDate')}>{u.acceptanceDate ?? dash}</Descriptions.Item>
                <Descriptions.Item label={t('units.extendedMonths')}>{u.extendedMonths ? t('products.months', { count: u.extendedMonths }) : dash}</Descriptions.Item>
                {u.replacesId !== null && (
                  <Descriptions.Item label={t('units.replaces')}>
                    <Link to={`/units/${u.replacesId}`}>#{u.replacesId}</Link>
                  </Descriptions.Item>
                )}
                {u.notes && <Descriptions.Item label={t('units.notes')}>{u.notes}</Descriptions.Item>}
              </Descriptions>
            </Card>
            <HistoryCard unit={u} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <LabelCard unit={u} />
        </Col>
      </Row>
      {mode && <UnitFormModal unit={u} replacing={mode === 'replace'} onClose={() => setMode(null)} />}
    </div>
  );
}

function HistoryCard({ unit }: { unit: UnitDetail }) {
  const { t } = useTranslation();
  const item = (h: UnitHistoryEntry) => {
    // Other modules add kinds of their own (returns: rma_*, take_back_*); an unknown kind shows as it is.
    const kind = t(`units.historyKind.${h.kind}`, { defaultValue: h.kind });
    return {
      key: `${h.kind}-${h.unitId}-${h.at}-${h.ticket?.number ?? ''}`,
      color: h.kind === 'ticket' ? 'blue' : h.kind.startsWith('replace') || h.kind === 'rma_exchanged' ? 'orange' : h.kind.startsWith('rma_') ? 'purple' : h.kind.startsWith('take_back') ? 'cyan' : 'gray',
      content: (
        <div data-testid={`history-${h.kind}`}>
          <Space size={6} wrap>
            <Typography.Text strong>{kind}</Typography.Text>
            {h.ticket ? (
              <>
                <Link to={`/tickets/${h.ticket.number}`}>{h.ticket.number}</Link>
                <span>{h.title}</span>
                <StatusTag status={h.ticket.status as Parameters<typeof StatusTag>[0]['status']} />
              </>
            ) : (
              <span>{h.title}</span>
            )}
            {h.unitId !== unit.id && <Tag style={{ marginInlineEnd: 0 }}>{t('units.fromEarlier', { serial: h.serialNumber ?? '' })}</Tag>}
          </Space>
          <div className="ac-muted">
            <DateTime value={h.at} />
          </div>
        </div>
      ),
    };
  };
  return (
    <Card title={t('units.history')} data-testid="unit-history">
      {unit.history.length === 0 ? <Empty /> : <Timeline items={unit.history.map(item)} />}
    </Card>
  );
}

/** The printable label: only it is printed (print CSS hides the rest of the console). */
function LabelCard({ unit }: { unit: UnitDetail }) {
  const { t } = useTranslation();
  return (
    <Card
      title={t('units.label')}
      extra={
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-label">
          {t('units.printLabel')}
        </Button>
      }
    >
      <div className="ac-print-label" data-testid="unit-label">
        <QRCode value={unit.labelLink} type="svg" size={168} bordered={false} errorLevel="M" />
        <div className="ac-print-label-text">
          <div style={{ fontWeight: 600 }}>{unit.productName ?? unit.productModel}</div>
          <div>
            {t('units.model')}: {unit.productModel}
          </div>
          <div>
            {t('units.serial')}: {unit.serialNumber ?? '—'}
          </div>
          <div>{t('units.labelScan')}</div>
        </div>
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('units.labelHint')}
      </Typography.Paragraph>
      <Typography.Text copyable={{ text: unit.labelLink }} type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }} data-testid="label-link">
        {unit.labelLink}
      </Typography.Text>
    </Card>
  );
}
