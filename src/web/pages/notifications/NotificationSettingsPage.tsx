// 通知设置: for each kind of notification the signed-in user can get, where it goes — in-app (the bell), e-mail,
// their department's group robot — or nowhere (off). Until they choose, their role's defaults apply. Managers and
// directors also pick the time of their daily digest (China time).
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notificationApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { NotifyChannel, NotifyPrefsView } from '../../api/types.js';
import { kindStyle } from '../../app/notifications.js';
import { PageHeader } from '../../components/PageHeader.js';
import { errorText } from '../admin/common.js';
import { LoadError } from '../admin/SettingsList.js';

const CHANNELS: NotifyChannel[] = ['in_app', 'email', 'robot'];
type Row = NotifyPrefsView['kinds'][number];
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
/** Every half hour of the day, for the digest time. */
const TIMES = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: qk.notifyPrefs, queryFn: notificationApi.preferences });
  const [kinds, setKinds] = useState<Record<string, NotifyChannel[]>>({});
  const [digestTime, setDigestTime] = useState<string>('08:30');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!prefs.data) return;
    setKinds(Object.fromEntries(prefs.data.kinds.map((k) => [k.kind, k.channels])));
    setDigestTime(prefs.data.digest.time);
  }, [prefs.data]);

  const dirty = useMemo(() => {
    if (!prefs.data) return false;
    return prefs.data.kinds.some((k) => !same(kinds[k.kind] ?? [], k.channels)) || digestTime !== prefs.data.digest.time;
  }, [kinds, digestTime, prefs.data]);

  const toggle = (kind: string, channel: NotifyChannel, on: boolean) =>
    setKinds((old) => {
      const cur = old[kind] ?? [];
      return { ...old, [kind]: on ? CHANNELS.filter((c) => c === channel || cur.includes(c)) : cur.filter((c) => c !== channel) };
    });

  const save = async () => {
    setBusy(true);
    try {
      const data = await notificationApi.setPreferences({ kinds, ...(prefs.data?.digest.available ? { digestTime } : {}) });
      queryClient.setQueryData(qk.notifyPrefs, data);
      void message.success(t('admin.saved'));
    } catch (e) {
      void message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const data = prefs.data;
  const noRobot = (data?.robots.length ?? 0) === 0;
  const columns: ColumnsType<Row> = [
    {
      title: t('notify.prefs.kind'),
      dataIndex: 'kind',
      render: (kind: string) => {
        const style = kindStyle(kind);
        return (
          <Space size={8}>
            <span className="ac-notify-icon" style={{ color: style.color, background: `${style.color}14` }}>
              {style.icon}
            </span>
            <span>
              <Typography.Text strong>{t(`notify.kind.${kind}`)}</Typography.Text>
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`notify.prefs.about.${kind}`)}
              </Typography.Text>
            </span>
          </Space>
        );
      },
    },
    ...CHANNELS.map((channel) => ({
      title: t(`notify.channel.${channel}`),
      key: channel,
      width: 120,
      align: 'center' as const,
      render: (_: unknown, row: Row) => {
        const box = (
          <Checkbox
            checked={(kinds[row.kind] ?? []).includes(channel)}
            disabled={channel === 'robot' && noRobot}
            onChange={(e) => toggle(row.kind, channel, e.target.checked)}
            aria-label={`${t(`notify.kind.${row.kind}`)} · ${t(`notify.channel.${channel}`)}`}
            data-testid={`pref-${row.kind}-${channel}`}
          />
        );
        return channel === 'robot' && noRobot ? <Tooltip title={t('notify.prefs.noRobot')}>{box}</Tooltip> : box;
      },
    })),
    {
      title: t('notify.prefs.state'),
      key: 'state',
      width: 120,
      render: (_: unknown, row: Row) => {
        const cur = kinds[row.kind] ?? [];
        if (cur.length === 0) return <Tag color="default">{t('notify.prefs.off')}</Tag>;
        if (same(cur, row.defaults)) return <Tag color="blue">{t('notify.prefs.default')}</Tag>;
        return <Tag color="purple">{t('notify.prefs.custom')}</Tag>;
      },
    },
  ];

  return (
    <div>
      <PageHeader
        title={t('notify.prefs.title')}
        subtitle={t('notify.prefs.subtitle')}
        testId="page-title"
        extra={
          <Space>
            <Link to="/notifications">
              <Button icon={<UnorderedListOutlined />}>{t('notify.viewAll')}</Button>
            </Link>
            <Button disabled={!data} onClick={() => data && setKinds(Object.fromEntries(data.kinds.map((k) => [k.kind, k.defaults])))} data-testid="prefs-defaults">
              {t('notify.prefs.restore')}
            </Button>
            <Button type="primary" loading={busy} disabled={!dirty} onClick={() => void save()} data-testid="prefs-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      />
      <LoadError error={prefs.error} />
      {data && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {!data.email && <Alert type="warning" showIcon title={t('notify.prefs.noEmail')} />}
          {data.email && !data.mailEnabled && <Alert type="info" showIcon title={t('notify.prefs.mailOff')} />}
          <Card>
            <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
              {data.robots.length
                ? t('notify.prefs.robots', { names: data.robots.map((r) => `${r.name}（${t(`notify.prefs.scope.${r.scope}`)}）`).join(t('common.listSeparator')) })
                : t('notify.prefs.noRobot')}
            </Typography.Paragraph>
            <Table<Row> rowKey="kind" size="middle" columns={columns} dataSource={data.kinds} pagination={false} data-testid="prefs-table" />
          </Card>
          {data.digest.available && (
            <Card title={t('notify.prefs.digestTitle')}>
              <Space wrap>
                <label htmlFor="digest-time">{t('notify.prefs.digestTime')}</label>
                <Select id="digest-time" style={{ width: 120 }} value={digestTime} options={TIMES.map((v) => ({ value: v, label: v }))} onChange={setDigestTime} data-testid="digest-time" />
                <Typography.Text type="secondary">{t('notify.prefs.digestHint', { time: data.digest.defaultTime })}</Typography.Text>
              </Space>
            </Card>
          )}
        </Space>
      )}
    </div>
  );
}
