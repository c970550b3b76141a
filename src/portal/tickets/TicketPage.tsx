import { Suspense, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Attachment, Ticket, TicketEvent } from '../../shared/schemas.js';
import { api } from '../api.js';
import { useSession } from '../session.js';
import { Alert, Card, DateTime, Field, formErrors, Loading, NO_ERRORS, Page, useLoad, type FormErrors } from '../ui.js';
import { PhotoPicker } from './PhotoPicker.js';
import { TICKET_PAGE_SLOTS } from './slots.js';
import { StatusBadge } from './StatusBadge.js';

interface Loaded {
  ticket: Ticket;
  events: TicketEvent[];
  attachments: Attachment[];
}

/** One ticket as its customer follows it: details, the solution to confirm, the timeline, a reply with photos. */
export default function TicketPage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const { session } = useSession();
  const { data, error, loading, reload } = useLoad(
    async (signal): Promise<Loaded> => {
      const [ticket, events, attachments] = await Promise.all([
        api.get<Ticket>(`/tickets/${encodeURIComponent(number)}`, undefined, { signal }),
        api.get<{ items: TicketEvent[] }>(`/tickets/${encodeURIComponent(number)}/events`, { limit: 200 }, { signal }),
        api.get<{ items: Attachment[] }>(`/tickets/${encodeURIComponent(number)}/attachments`, undefined, { signal }),
      ]);
      return { ticket, events: events.items, attachments: attachments.items };
    },
    [number],
  );

  if (error && !data) {
    return (
      <Page title={t('ticket.notFound')}>
        <Alert>{error.message}</Alert>
        {session?.kind === 'account' ? (
          <Link className="pt-button" to="/tickets">
            {t('ticket.back')}
          </Link>
        ) : null}
      </Page>
    );
  }
  if (!data) return <Loading />;
  const { ticket, events, attachments } = data;
  const open = ticket.status !== 'closed' && ticket.status !== 'cancelled';

  return (
    <Page title={ticket.title}>
      <div className="pt-meta" style={{ marginTop: -8, marginBottom: 16 }}>
        <StatusBadge status={ticket.status} />
        <span data-testid="ticket-number">
          {t('tickets.number')} {ticket.number}
        </span>
        <span>
          {t('ticket.submitted')} <DateTime iso={ticket.createdAt} />
        </span>
      </div>
      {loading ? <span className="pt-muted pt-small" role="status">{t('shell.loading')}</span> : null}
      {ticket.status === 'pending_confirmation' ? <Confirmation ticket={ticket} onDone={reload} /> : null}
      {ticket.status === 'closed' && ticket.solution ? (
        <Card title={t('ticket.solution')}>
          <p className="pt-bubble">{ticket.solution}</p>
        </Card>
      ) : null}
      {TICKET_PAGE_SLOTS.map((Slot, i) => (
        <Suspense key={i} fallback={null}>
          <Slot ticket={ticket} reload={reload} />
        </Suspense>
      ))}
      <Card title={t('ticket.details')}>
        <dl className="pt-dl">
          {ticket.productModel ? (
            <>
              <dt>{t('ticket.product')}</dt>
              <dd>{ticket.productModel}</dd>
            </>
          ) : null}
          {ticket.serialNumber ? (
            <>
              <dt>{t('ticket.serial')}</dt>
              <dd>{ticket.serialNumber}</dd>
            </>
          ) : null}
          {ticket.assignee ? (
            <>
              <dt>{t('ticket.assignee')}</dt>
              <dd>{ticket.assignee.name}</dd>
            </>
          ) : null}
        </dl>
        <p className="pt-bubble" style={{ marginTop: 12 }}>
          {ticket.description}
        </p>
      </Card>
      <Card title={t('ticket.progress')} testId="ticket-timeline">
        <Timeline events={events} attachments={attachments} />
      </Card>
      {open ? <Reply number={ticket.number} onSent={reload} /> : <p className="pt-muted">{t('ticket.closedNote')}</p>}
    </Page>
  );
}

function Timeline({ events, attachments }: { events: TicketEvent[]; attachments: Attachment[] }) {
  const { t } = useTranslation();
  const byId = new Map(attachments.map((a) => [a.id, a]));
  if (events.length === 0) return <p className="pt-muted">{t('ticket.noEvents')}</p>;
  // Newest first: what changed last is what the customer came to see.
  return (
    <ol className="pt-timeline">
      {[...events].reverse().map((e) => {
        const who = e.actor?.name ?? t('ticket.team');
        const file = e.attachmentId !== null ? byId.get(e.attachmentId) : undefined;
        return (
          <li key={e.id} data-testid={`event-${e.kind}`}>
            <div className="pt-when">
              <DateTime iso={e.at} />
            </div>
            <div className="pt-what">{eventText(t, e, who)}</div>
            {e.kind === 'comment' && e.note ? <div className="pt-bubble">{e.note}</div> : null}
            {(e.kind === 'customer_rejected' || e.kind === 'customer_confirmed') && e.note ? <div className="pt-bubble">{e.note}</div> : null}
            {file ? <FileView file={file} /> : null}
          </li>
        );
      })}
    </ol>
  );
}

function eventText(t: (k: string, o?: Record<string, unknown>) => string, e: TicketEvent, who: string): string {
  switch (e.kind) {
    case 'status_changed': {
      const to = e.changes.find((c) => c.field === 'status')?.after;
      return to ? t('ticket.event.status', { status: t(`tickets.status.${String(to)}`) }) : t('ticket.event.updated');
    }
    case 'updated':
    case 'assigned':
      return t('ticket.event.updated');
    case 'comment':
      return t('ticket.event.comment', { who });
    case 'attachment':
      return t('ticket.event.attachment', { who });
    case 'created':
    case 'review_approved':
    case 'customer_confirmed':
    case 'customer_rejected':
    case 'follow_up':
      return t(`ticket.event.${e.kind}`);
    default:
      return t('ticket.event.updated');
  }
}

function FileView({ file }: { file: Attachment }) {
  const url = `/api/attachments/${file.id}`;
  if (file.contentType.startsWith('image/')) {
    return (
      <div className="pt-thumbs">
        <a href={url} target="_blank" rel="noreferrer">
          <img src={url} alt={file.filename} loading="lazy" />
        </a>
      </div>
    );
  }
  return (
    <a href={url} className="pt-file-chip" download>
      {file.filename}
    </a>
  );
}

/** The solution put to the customer: solved (closes), or not solved — why (reopens it, one priority higher). */
function Confirmation({ ticket, onDone }: { ticket: Ticket; onDone(): void }) {
  const { t } = useTranslation();
  const [rejecting, setRejecting] = useState(false);
  const [words, setWords] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const send = async (satisfied: boolean, e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api.post(`/tickets/${ticket.number}/confirmation`, satisfied ? { satisfied } : { satisfied, customerWords: words });
      onDone();
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('ticket.confirm.title')} className="pt-card-highlight" testId="confirmation">
      <p className="pt-bubble">{ticket.solution}</p>
      <p>{t('ticket.confirm.question')}</p>
      {errors.message && !errors.fields.customerWords ? <Alert>{errors.message}</Alert> : null}
      {!rejecting ? (
        <p className="pt-actions">
          <button type="button" className="pt-button" disabled={busy} onClick={() => void send(true)} data-testid="confirm-solved">
            {t('ticket.confirm.solved')}
          </button>
          <button type="button" className="pt-button pt-button-danger" disabled={busy} onClick={() => setRejecting(true)} data-testid="confirm-not-solved">
            {t('ticket.confirm.notSolved')}
          </button>
        </p>
      ) : (
        <form onSubmit={(e) => void send(false, e)} noValidate>
          <Field label={t('ticket.confirm.why')} hint={t('ticket.confirm.whyHint')} error={errors.fields.customerWords}>
            {(p) => <textarea {...p} value={words} onChange={(e) => setWords(e.target.value)} required data-testid="reject-words" />}
          </Field>
          <p className="pt-actions">
            <button type="submit" className="pt-button pt-button-danger" disabled={busy} data-testid="reject-submit">
              {t('ticket.confirm.send')}
            </button>
            <button type="button" className="pt-button pt-button-ghost" onClick={() => setRejecting(false)}>
              {t('ticket.confirm.cancel')}
            </button>
          </p>
        </form>
      )}
    </Card>
  );
}

/** A reply with photos from the camera; the text stays if sending fails. */
function Reply({ number, onSent }: { number: string; onSent(): void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim() && photos.length === 0) {
      setErrors({ message: null, fields: { body: t('ticket.reply.empty') } });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    setSent(false);
    try {
      if (body.trim()) {
        await api.post(`/tickets/${number}/comments`, { body, internal: false });
        setBody('');
      }
      // One at a time, dropping each once stored: a failure leaves only the unsent ones to retry.
      let left = [...photos];
      for (const photo of photos) {
        await api.upload(`/tickets/${number}/attachments`, photo);
        left = left.filter((p) => p !== photo);
        setPhotos(left);
      }
      setSent(true);
      onSent();
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('ticket.reply.title')}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="reply-form">
        {sent ? <Alert kind="success">{t('ticket.reply.sent')}</Alert> : null}
        {errors.message ? <Alert>{errors.message}</Alert> : null}
        <Field label={t('ticket.reply.body')} error={errors.fields.body}>
          {(p) => <textarea {...p} value={body} onChange={(e) => setBody(e.target.value)} data-testid="reply-body" />}
        </Field>
        <PhotoPicker files={photos} onChange={setPhotos} error={errors.fields.file} />
        <button type="submit" className="pt-button pt-button-block" disabled={busy} data-testid="reply-send">
          {busy ? t('ticket.reply.sending') : t('ticket.reply.send')}
        </button>
      </form>
    </Card>
  );
}
