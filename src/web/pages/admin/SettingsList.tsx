// The frame every settings list shares, and its "active" and "edit" columns: readers get the same page with the
// switches disabled and without the buttons that would open a dialog.
import type { ReactNode } from 'react';
import { Alert, Button, Card, Space, Switch, Tooltip } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { PageHeader } from '../../components/PageHeader.js';
import { ReadOnlyNotice, useCanEdit, type useRowActions } from './common.js';

interface HeaderProps {
  title: string;
  subtitle: string;
  onRefresh: () => void;
  /** The "new" button; editors only. */
  newButton: { label: string; testId: string; onClick: () => void };
}

/** Title, refresh and "new" buttons, and for readers the notice that they cannot change anything. */
export function SettingsHeader({ title, subtitle, onRefresh, newButton }: HeaderProps) {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  return (
    <>
      <PageHeader
        title={title}
        subtitle={subtitle}
        testId="page-title"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common.refresh')} />
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={newButton.onClick} data-testid={newButton.testId}>
                {newButton.label}
              </Button>
            )}
          </Space>
        }
      />
      {!canEdit && <ReadOnlyNotice />}
    </>
  );
}

export function LoadError({ error }: { error: Error | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Alert type="error" showIcon title={t('errors.loadFailed')} description={error.message} style={{ marginBottom: 16 }} />;
}

/** A settings page of one list: the header, then a card with `intro`, the load error and the list; `dialog` is the open editor. */
export function SettingsList({ intro, error, dialog, children, ...header }: HeaderProps & { intro?: ReactNode; error: Error | null; dialog?: ReactNode; children: ReactNode }) {
  return (
    <div>
      <SettingsHeader {...header} />
      <Card>
        {intro}
        <LoadError error={error} />
        {children}
      </Card>
      {dialog}
    </div>
  );
}

export function EditButton({ onClick, testId }: { onClick: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('common.edit')}>
      <Button type="text" icon={<EditOutlined />} onClick={onClick} aria-label={t('common.edit')} data-testid={testId} />
    </Tooltip>
  );
}

/** A column with the edit button, or none for readers (spread it into the columns). */
export function editColumn<T>(canEdit: boolean, opts: { key?: string; width: number; onEdit: (row: T) => void; testId: (row: T) => string }): ColumnType<T>[] {
  if (!canEdit) return [];
  return [{ title: '', key: opts.key ?? 'edit', width: opts.width, render: (_: unknown, row: T) => <EditButton onClick={() => opts.onEdit(row)} testId={opts.testId(row)} /> }];
}

/** The "active" switch; it runs as row action `toggle-<id>` so its spinner and messages match the page's other actions. */
export function activeColumn<T extends { active: boolean }>(
  t: TFunction,
  opts: {
    canEdit: boolean;
    actions: ReturnType<typeof useRowActions>;
    id: (row: T) => string | number;
    toggle: (row: T, active: boolean) => Promise<unknown>;
    /** Success messages for switching on and off. */
    done?: [on: string, off: string];
    testId?: (row: T) => string;
    /** Why an editor still may not switch this row (a tooltip on the disabled switch); undefined when they may. */
    lockedReason?: (row: T) => string | undefined;
  },
): ColumnType<T> {
  const [on, off] = opts.done ?? [t('admin.enabled'), t('admin.disabled')];
  return {
    title: t('admin.active'),
    dataIndex: 'active',
    width: 72,
    render: (active: boolean, row: T) => {
      const key = `toggle-${opts.id(row)}`;
      const locked = opts.lockedReason?.(row);
      const control = (
        <Switch
          size="small"
          checked={active}
          disabled={!opts.canEdit || locked !== undefined}
          loading={opts.actions.busy === key}
          onChange={(v) => void opts.actions.run(key, () => opts.toggle(row, v), v ? on : off)}
          aria-label={t('admin.active')}
          data-testid={opts.testId?.(row)}
        />
      );
      return opts.lockedReason ? <Tooltip title={locked}>{control}</Tooltip> : control;
    },
  };
}
