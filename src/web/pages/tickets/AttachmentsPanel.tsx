import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Empty, Flex, Table, Tag, Upload } from 'antd';
import { LockOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ticketApi } from '../../api/endpoints.js';
import { qk } from '../../api/queries.js';
import type { Attachment } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function AttachmentsPanel({ number, items, loading }: { number: string; items: Attachment[]; loading: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [internal, setInternal] = useState(false);
  const [uploading, setUploading] = useState(0);

  return (
    <div className="ac-stack" style={{ gap: 12 }}>
      <Flex gap={12} align="center" wrap>
        <Upload
          multiple
          showUploadList={false}
          customRequest={async ({ file, onSuccess, onError }) => {
            setUploading((n) => n + 1);
            try {
              const res = await ticketApi.upload(number, file as File, internal);
              onSuccess?.(res);
              void message.success(t('attachments.uploaded', { name: (file as File).name }));
              void queryClient.invalidateQueries({ queryKey: qk.attachments(number) });
              void queryClient.invalidateQueries({ queryKey: qk.events(number) });
            } catch (err) {
              const e = err instanceof Error ? err : new Error(String(err));
              onError?.(e);
              void message.error(t('attachments.uploadFailed', { name: (file as File).name, message: e.message }));
            } finally {
              setUploading((n) => n - 1);
            }
          }}
        >
          <Button icon={<UploadOutlined />} loading={uploading > 0} data-testid="upload-attachment">
            {t('attachments.upload')}
          </Button>
        </Upload>
        <Checkbox checked={internal} onChange={(e) => setInternal(e.target.checked)} data-testid="upload-internal">
          {t('attachments.internalOnly')}
        </Checkbox>
      </Flex>
      <Table<Attachment>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attachments.empty')} /> }}
        columns={[
          {
            title: t('attachments.filename'),
            dataIndex: 'filename',
            render: (name: string, a) => (
              <Flex gap={6} align="center">
                <PaperClipOutlined className="ac-muted" />
                <a href={ticketApi.attachmentUrl(a.id)} target="_blank" rel="noreferrer">
                  {name}
                </a>
                {a.internal && (
                  <Tag color="gold" icon={<LockOutlined />}>
                    {t('timeline.internal')}
                  </Tag>
                )}
              </Flex>
            ),
          },
          { title: t('attachments.size'), dataIndex: 'size', width: 100, render: (s: number) => formatSize(s) },
          {
            title: t('attachments.uploadedBy'),
            dataIndex: 'uploadedBy',
            width: 120,
            render: (u: Attachment['uploadedBy']) => u?.name ?? '—',
          },
          { title: t('attachments.uploadedAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => <DateTime value={v} /> },
        ]}
      />
    </div>
  );
}
