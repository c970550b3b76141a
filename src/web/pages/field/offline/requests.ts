// The field page's requests as outbox items (outbox.ts): what each action on a visit sends, to which endpoint, in
// which group. Steps of a visit go in order in one group; photos in their own, so a refused step does not hold them.
import type { Visit, VisitStep } from '../../../api/visits.js';
import type { NewItem } from './sync.js';

export const fieldRequests = {
  /** A step pressed now, against the version the phone shows (queued presses included). */
  step(v: Pick<Visit, 'id' | 'version'>, step: VisitStep, at = new Date().toISOString()): NewItem {
    return { group: `visit:${v.id}`, method: 'POST', url: `/visits/${v.id}/steps`, body: { kind: 'json', value: { step, at } }, version: v.version, meta: { visitId: v.id, kind: 'step', step, at } };
  },
  /** A photo of the job: staff-only on the visit's ticket (the customer gets the service report, not working photos). */
  photo(v: Pick<Visit, 'id' | 'ticketNumber'>, file: File, at = new Date().toISOString()): NewItem {
    const filename = file.name || `visit-${v.id}.jpg`;
    return {
      group: `visit:${v.id}:files`,
      method: 'POST',
      url: `/tickets/${v.ticketNumber}/attachments?internal=true`,
      body: { kind: 'form', parts: [{ name: 'file', blob: file, filename }] },
      meta: { visitId: v.id, kind: 'photo', filename, at },
    };
  },
  /**
   * The customer's signature (a PNG from SignaturePad's `signatureBlob`): in the steps' group, since it records the
   * 'signed' step, with the time it was signed.
   */
  signature(v: Pick<Visit, 'id'>, png: Blob, at = new Date().toISOString()): NewItem {
    return {
      group: `visit:${v.id}`,
      method: 'POST',
      url: `/visits/${v.id}/signature?at=${encodeURIComponent(at)}`,
      body: { kind: 'form', parts: [{ name: 'file', blob: png, filename: `signature-visit-${v.id}.png` }] },
      meta: { visitId: v.id, kind: 'signature', at },
    };
  },
  /** Parts used on the job (`label` for the page, e.g. "AC-CAP-35 ×1"): in the steps' group, after the arrival. */
  partsUsed(v: Pick<Visit, 'id'>, body: { partId: number; qty: number; locationId?: number }, label: string, at = new Date().toISOString()): NewItem {
    return { group: `visit:${v.id}`, method: 'POST', url: `/visits/${v.id}/parts-used`, body: { kind: 'json', value: body }, meta: { visitId: v.id, kind: 'parts', label, at } };
  },
};
