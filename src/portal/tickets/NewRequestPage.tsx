import { Suspense, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { PortalUnit } from '../../shared/portal.js';
import type { Ticket } from '../../shared/schemas.js';
import { api, newIdempotencyKey } from '../api.js';
import { useSession } from '../session.js';
import { Alert, Card, Field, formErrors, NO_ERRORS, Page, useLoad, type FormErrors } from '../ui.js';
import { PhotoPicker } from './PhotoPicker.js';
import { WarrantyBadge } from '../units/WarrantyBadge.js';
import { NEW_REQUEST_ASIDE } from './slots.js';

const CONTACT_TIMES = ['any', 'weekday_day', 'weekday_evening', 'weekend'] as const;
const OTHER = 'other';

/**
 * A new service request: which of their units (own units first; a serial typed, or from a QR label's link
 * `/portal/new?serial=…`), what happened, photos, when to call. The server sets the channel, the time and the priority.
 */
export default function NewRequestPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const units = useLoad((signal) => api.get<{ items: PortalUnit[] }>('/portal/units', undefined, { signal }), []);
  const serialParam = params.get('serial')?.trim() ?? '';
  const modelParam = params.get('model')?.trim() ?? '';
  const unitParam = params.get('unit');
  const [choice, setChoice] = useState<string | null>(null);
  const [productModel, setProductModel] = useState(modelParam);
  const [serial, setSerial] = useState(serialParam);
  // Handed over by the assistant (/portal/assist): its drafted request, once, for this visit.
  const [draft] = useState(() => (params.get('from') === 'assist' ? takeHandover() : null));
  const [title, setTitle] = useState(draft?.title ?? '');
  const [description, setDescription] = useState(draft?.description ?? '');
  const [contactTime, setContactTime] = useState<(typeof CONTACT_TIMES)[number]>('any');
  const [contactNote, setContactNote] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [solved, setSolved] = useState(false);
  // One key for this request however often it is retried: a retry after a lost answer never files it twice.
  const idempotencyKey = useRef(newIdempotencyKey());
  // A ticket already created whose photos did not all go up: a retry sends only the rest.
  const created = useRef<string | null>(null);

  const list = units.data?.items ?? [];
  // The unit a QR label or a "report a problem" button named, else the first of the customer's units.
  const preselected = useMemo(() => {
    if (unitParam) return list.find((u) => String(u.id) === unitParam)?.id ?? null;
    if (serialParam) return list.find((u) => u.serialNumber?.toLowerCase() === serialParam.toLowerCase())?.id ?? null;
    return list[0]?.id ?? null;
  }, [list, unitParam, serialParam]);
  const selected = choice ?? (units.data ? (preselected !== null && !(serialParam && preselected === null) ? String(preselected) : OTHER) : null);
  const unit = list.find((u) => String(u.id) === selected) ?? null;

  const contactText = () => {
    const base = t(`request.contact.${contactTime}`);
    return contactNote.trim() ? `${base}; ${contactNote.trim()}` : base;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      let number = created.current;
      if (!number) {
        const ticket = await api.post<Ticket>(
          '/tickets',
          {
            customerId: session?.customerId ?? undefined,
            title,
            description,
            productModel: unit ? unit.productModel : productModel.trim() || null,
            serialNumber: unit ? unit.serialNumber : serial.trim() || null,
            purchaseDate: unit ? unit.purchaseDate : null,
            preferredContact: contactText(),
          },
          { headers: { 'Idempotency-Key': idempotencyKey.current } },
        );
        number = ticket.number;
        created.current = number;
      }
      let left = [...photos];
      for (const photo of photos) {
        await api.upload(`/tickets/${number}/attachments`, photo);
        left = left.filter((p) => p !== photo);
        setPhotos(left);
      }
      navigate(`/tickets/${number}`, { state: { submitted: true } });
    } catch (err) {
      setErrors(formErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const aside = NEW_REQUEST_ASIDE.length ? (
    <div data-testid="request-suggestions">
      {NEW_REQUEST_ASIDE.map((Slot, i) => (
        <Suspense key={i} fallback={null}>
          <Slot text={`${title}\n${description}`} productModel={unit?.productModel ?? (productModel.trim() || null)} onSolved={() => setSolved(true)} />
        </Suspense>
      ))}
    </div>
  ) : undefined;

  if (solved) {
    return (
      <Page title={t('request.solvedTitle')}>
        <p>{t('request.solvedBody')}</p>
        <Link className="pt-button" to="/tickets">
          {t('request.toTickets')}
        </Link>
      </Page>
    );
  }

  return (
    <Page title={t('request.title')} aside={aside}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="request-form">
        {errors.message ? <Alert>{errors.message}</Alert> : null}
        {created.current ? <Alert kind="info">{t('request.createdPhotosLeft', { number: created.current })}</Alert> : null}
        <Card title={t('request.product')}>
          {units.error ? <Alert>{units.error.message}</Alert> : null}
          <fieldset className="pt-fieldset">
            <legend className="pt-sr-only">{t('request.product')}</legend>
            {list.map((u) => (
              <label key={u.id} className="pt-choice">
                <input type="radio" name="unit" value={String(u.id)} checked={selected === String(u.id)} onChange={() => setChoice(String(u.id))} data-testid="unit-choice" />
                <span>
                  <strong>{u.productName ?? u.productModel}</strong>
                  <span className="pt-muted pt-small">
                    {' '}
                    {u.productModel}
                    {u.serialNumber ? ` · ${t('units.serial')} ${u.serialNumber}` : ''}
                  </span>{' '}
                  <WarrantyBadge unit={u} />
                </span>
              </label>
            ))}
            <label className="pt-choice">
              <input type="radio" name="unit" value={OTHER} checked={selected === OTHER} onChange={() => setChoice(OTHER)} data-testid="unit-other" />
              <span>{list.length ? t('request.otherProduct') : t('request.aProduct')}</span>
            </label>
          </fieldset>
          {selected === OTHER ? (
            <>
              {serialParam ? <p className="pt-muted pt-small" data-testid="warranty-checked-by-staff">{t('request.warrantyByStaff')}</p> : null}
              <Field label={t('request.model')} error={errors.fields.productModel}>
                {(p) => <input {...p} type="text" value={productModel} onChange={(e) => setProductModel(e.target.value)} data-testid="request-model" />}
              </Field>
              <Field label={t('request.serial')} hint={t('request.serialHint')} error={errors.fields.serialNumber}>
                {(p) => <input {...p} type="text" value={serial} onChange={(e) => setSerial(e.target.value)} data-testid="request-serial" />}
              </Field>
            </>
          ) : null}
        </Card>
        <Card title={t('request.problem')}>
          <Field label={t('request.summary')} hint={t('request.summaryHint')} error={errors.fields.title}>
            {(p) => <input {...p} type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} data-testid="request-title" />}
          </Field>
          <Field label={t('request.description')} hint={t('request.descriptionHint')} error={errors.fields.description}>
            {(p) => <textarea {...p} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="request-description" />}
          </Field>
          <PhotoPicker files={photos} onChange={setPhotos} error={errors.fields.file} />
        </Card>
        <Card title={t('request.contactTitle')}>
          <Field label={t('request.contactTime')} error={errors.fields.preferredContact}>
            {(p) => (
              <select {...p} value={contactTime} onChange={(e) => setContactTime(e.target.value as (typeof CONTACT_TIMES)[number])} data-testid="request-contact">
                {CONTACT_TIMES.map((c) => (
                  <option key={c} value={c}>
                    {t(`request.contact.${c}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('request.contactNote')} hint={t('request.contactNoteHint')}>
            {(p) => <input {...p} type="text" maxLength={100} value={contactNote} onChange={(e) => setContactNote(e.target.value)} />}
          </Field>
        </Card>
        <p className="pt-muted pt-small">{t('request.priorityNote')}</p>
        <button type="submit" className="pt-button pt-button-block" disabled={busy} data-testid="request-submit">
          {busy ? t('request.sending') : t('request.submit')}
        </button>
      </form>
    </Page>
  );
}

/** The assistant's hand-over (assist/ChatBox.tsx HANDOVER_KEY; read by its literal so this page's chunk stays small). */
function takeHandover(): { title: string; description: string } | null {
  try {
    const raw = sessionStorage.getItem('aftercare.handover');
    sessionStorage.removeItem('aftercare.handover');
    const v = raw ? (JSON.parse(raw) as { title?: unknown; description?: unknown }) : null;
    return v && typeof v.title === 'string' && typeof v.description === 'string' ? { title: v.title, description: v.description } : null;
  } catch {
    return null;
  }
}
