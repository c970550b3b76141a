// 派工看板 (/dispatch): engineers as rows × the week's days as columns, each visit a card. Dragging a card (@dnd-kit)
// to another engineer or day opens the reschedule dialog (time, reason); a click opens it in place to change the time.
// Engineers see their own row; dispatchers and supervisors move visits; others read.
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DndContext, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { Alert, Button, Card, Empty, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../app/auth.js';
import { canBookVisits, visitKeys, visitsApi, type Board, type BoardVisit } from '../../api/visits.js';
import { PageHeader } from '../../components/PageHeader.js';
import { RescheduleDialog, type MoveTarget } from './RescheduleDialog.js';
import { addDays, FIELD_TZ, mondayOf, zonedDate, zonedTime } from './time.js';

const STATUS_COLOR: Record<string, string> = { booked: '#1677ff', accepted: '#13c2c2', departed: '#13c2c2', arrived: '#52c41a', work_done: '#52c41a', signed: '#52c41a', charged: '#52c41a', left: '#8c8c8c' };

export default function DispatchPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [from, setFrom] = useState(() => mondayOf(zonedDate(FIELD_TZ, Date.now())));
  const [target, setTarget] = useState<MoveTarget | null>(null);
  const board = useQuery({ queryKey: visitKeys.board(from, 7), queryFn: () => visitsApi.board(from, 7) });
  const mayMove = canBookVisits(me.role);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));
  const data = board.data;
  const tz = data?.timeZone ?? FIELD_TZ;

  const cells = useMemo(() => {
    const m = new Map<string, BoardVisit[]>();
    for (const v of data?.visits ?? []) {
      const key = `${v.engineer.id}|${zonedDate(tz, v.windowStart)}`;
      m.set(key, [...(m.get(key) ?? []), v]);
    }
    return m;
  }, [data, tz]);

  const onDragEnd = (e: DragEndEvent) => {
    const visit = e.active.data.current?.visit as BoardVisit | undefined;
    if (!visit || !e.over) return;
    const [engineerId, date] = String(e.over.id).split('|');
    if (Number(engineerId) === visit.engineer.id && date === zonedDate(tz, visit.windowStart)) return;
    setTarget({ visit, engineerId: Number(engineerId), date });
  };

  return (
    <div data-testid="dispatch-page">
      <PageHeader
        title={t('dispatch.title')}
        extra={
          <Space>
            <Button icon={<LeftOutlined />} onClick={() => setFrom(addDays(from, -7))} aria-label={t('dispatch.prev')} data-testid="board-prev" />
            <Button onClick={() => setFrom(mondayOf(zonedDate(FIELD_TZ, Date.now())))}>{t('dispatch.thisWeek')}</Button>
            <Button icon={<RightOutlined />} onClick={() => setFrom(addDays(from, 7))} aria-label={t('dispatch.next')} data-testid="board-next" />
          </Space>
        }
      />
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text strong data-testid="board-range">
          {from} – {addDays(from, 6)}
        </Typography.Text>
        {data && <Tag>{t('dispatch.count', { n: data.visits.length })}</Tag>}
        {data && <Typography.Text type="secondary">{t('dispatch.minGap', { n: data.minGapMinutes })}</Typography.Text>}
        {mayMove && <Typography.Text type="secondary">· {t('dispatch.dragHint')}</Typography.Text>}
      </Space>
      {board.isLoading ? (
        <Spin />
      ) : board.error ? (
        <Alert type="error" title={(board.error as Error).message} />
      ) : data && data.engineers.length === 0 ? (
        <Empty description={t('dispatch.noEngineers')} />
      ) : data ? (
        <DndContext sensors={sensors} onDragEnd={onDragEnd}>
          <Card size="small" styles={{ body: { padding: 0, overflowX: 'auto' } }}>
            <div className="ac-board" style={{ gridTemplateColumns: `148px repeat(${data.days.length}, minmax(128px, 1fr))` }} data-testid="board-grid">
              <div className="ac-board-head">{t('dispatch.engineer')}</div>
              {data.days.map((d) => (
                <div key={d.date} className={`ac-board-head${d.working ? '' : ' ac-board-off'}`}>
                  {dayLabel(d.date, t)}
                  {!d.working && <div className="ac-hint">{t('dispatch.dayOff')}</div>}
                </div>
              ))}
              {data.engineers.map((e) => (
                <Row key={e.id} engineer={e} days={data.days} cells={cells} tz={tz} mayMove={mayMove} onOpen={(v, date) => setTarget({ visit: v, engineerId: v.engineer.id, date })} />
              ))}
            </div>
          </Card>
        </DndContext>
      ) : null}
      {data && (
        <RescheduleDialog
          target={target}
          engineers={data.engineers}
          timeZone={tz}
          onClose={() => setTarget(null)}
          onDone={() => {
            setTarget(null);
            void queryClient.invalidateQueries({ queryKey: visitKeys.all });
          }}
        />
      )}
    </div>
  );
}

function dayLabel(date: string, t: (k: string) => string): string {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return `${date.slice(5)} ${t(`admin.cal.weekdayShort.${wd}`)}`;
}

function Row({ engineer, days, cells, tz, mayMove, onOpen }: { engineer: Board['engineers'][number]; days: Board['days']; cells: Map<string, BoardVisit[]>; tz: string; mayMove: boolean; onOpen: (v: BoardVisit, date: string) => void }) {
  return (
    <>
      <div className="ac-board-name" data-testid={`board-engineer-${engineer.id}`}>
        <Typography.Text strong>{engineer.name}</Typography.Text>
        {engineer.area && <div className="ac-hint">{engineer.area}</div>}
      </div>
      {days.map((d) => (
        <Cell key={d.date} id={`${engineer.id}|${d.date}`} off={!d.working}>
          {(cells.get(`${engineer.id}|${d.date}`) ?? []).map((v) => (
            <VisitCard key={v.id} v={v} tz={tz} mayMove={mayMove} onOpen={() => onOpen(v, d.date)} />
          ))}
        </Cell>
      ))}
    </>
  );
}

function Cell({ id, off, children }: { id: string; off: boolean; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <div ref={setNodeRef} className={`ac-board-cell${off ? ' ac-board-off' : ''}${isOver ? ' ac-board-over' : ''}`} data-testid={`board-cell-${id}`}>
      {children}
    </div>
  );
}

function VisitCard({ v, tz, mayMove, onOpen }: { v: BoardVisit; tz: string; mayMove: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: `visit-${v.id}`, data: { visit: v }, disabled: !mayMove });
  const style: React.CSSProperties = {
    borderInlineStart: `3px solid ${v.late ? '#ff4d4f' : (STATUS_COLOR[v.status] ?? '#1677ff')}`,
    transform: transform ? `translate(${transform.x}px, ${transform.y}px)` : undefined,
    zIndex: isDragging ? 10 : undefined,
    opacity: isDragging ? 0.85 : 1,
    cursor: mayMove ? 'grab' : 'default',
  };
  return (
    <Tooltip title={`${v.ticketTitle} · ${v.address}`} mouseEnterDelay={0.6}>
      <div ref={setNodeRef} style={style} className="ac-board-visit" {...listeners} {...attributes} onClick={mayMove ? onOpen : undefined} data-testid={`board-visit-${v.id}`}>
        <div className="ac-board-time">
          {zonedTime(tz, v.windowStart)}–{zonedTime(tz, v.windowEnd)}
          {v.late && (
            <Tag color="red" style={{ marginInlineStart: 4, fontSize: 11, lineHeight: '16px', paddingInline: 4 }}>
              {t('visits.late')}
            </Tag>
          )}
        </div>
        <div className="ac-board-line">{v.customerName}{v.area ? ` · ${v.area}` : ''}</div>
        <div className="ac-board-line ac-hint">
          <Link to={`/tickets/${v.ticketNumber}`} onClick={(e) => e.stopPropagation()} onPointerDown={(e) => e.stopPropagation()}>
            {v.ticketNumber}
          </Link>{' '}
          · {t(`visits.status.${v.status}`)}
        </div>
      </div>
    </Tooltip>
  );
}
