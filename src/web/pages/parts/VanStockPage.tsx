// /parts/van: the signed-in engineer's van stock, made for a phone (390×844, one hand): one large line per part with
// what is available, low ones first and marked, and big buttons to take parts in, record use or return them.
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Spin, Tag, Typography } from 'antd';
import { ImportOutlined, ToolOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { partsApi, partsKeys } from '../../api/parts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { usePartName } from './common.js';

export default function VanStockPage() {
  const { t } = useTranslation();
  const name = usePartName();
  const mine = useQuery({ queryKey: partsKeys.mine, queryFn: () => partsApi.mine() });
  const items = [...(mine.data?.items ?? [])].sort((a, b) => Number(b.low) - Number(a.low) || a.partCode.localeCompare(b.partCode));
  const van = mine.data?.locations[0];

  return (
    <div className="ac-van">
      <PageHeader title={t('parts.van.title')} subtitle={van ? `${van.name} · ${van.code}` : undefined} testId="page-title" />
      {mine.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} description={mine.error.message} />}
      {mine.isLoading && <Spin />}
      {mine.data && !van && <Alert type="info" showIcon title={t('parts.van.none')} />}
      {van && (
        <>
          <Flex gap={8} style={{ marginBottom: 12 }}>
            <Link to={`/parts/move?kind=transfer`} style={{ flex: 1 }}>
              <Button block size="large" icon={<ImportOutlined />} data-testid="van-take">
                {t('parts.van.take')}
              </Button>
            </Link>
            <Link to={`/parts/move?kind=consume`} style={{ flex: 1 }}>
              <Button block size="large" type="primary" icon={<ToolOutlined />} data-testid="van-use">
                {t('parts.van.use')}
              </Button>
            </Link>
          </Flex>
          {items.length === 0 ? (
            <Empty description={t('parts.van.empty')} />
          ) : (
            <Flex vertical gap={8} data-testid="van-stock">
              {items.map((r) => (
                <Card key={r.partId} size="small" className={r.low ? 'ac-van-low' : undefined}>
                  <Flex justify="space-between" align="center" gap={12}>
                    <div style={{ minWidth: 0 }}>
                      <Link to={`/parts/${r.partId}`} style={{ fontSize: 16, fontWeight: 500 }}>
                        {name(r)}
                      </Link>
                      <div>
                        <Typography.Text type="secondary">{r.partCode}</Typography.Text>
                        {r.low && (
                          <Tag color="red" icon={<WarningOutlined />} style={{ marginLeft: 8 }}>
                            {t('parts.low')}
                          </Tag>
                        )}
                      </div>
                    </div>
                    <div style={{ textAlign: 'right', flexShrink: 0 }}>
                      <div style={{ fontSize: 22, fontWeight: 600 }} aria-label={t('parts.field.available')}>
                        {r.available}
                      </div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('parts.van.reserved', { count: r.reserved })}
                      </Typography.Text>
                    </div>
                  </Flex>
                </Card>
              ))}
            </Flex>
          )}
        </>
      )}
    </div>
  );
}
