// Puts a server validation error (error.fields: "a.b.0.c" → message) on the matching antd Form fields.
// Never touches field values: what the user typed stays.
import type { FormInstance } from 'antd';
import { isApiError } from '../api/client.js';

export type NamePath = (string | number)[];

function toNamePath(field: string): NamePath {
  return field
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function sameName(a: NamePath, b: NamePath): boolean {
  return a.length === b.length && a.every((p, i) => String(p) === String(b[i]));
}

export interface AppliedErrors {
  /** Field errors shown on a form field. */
  applied: number;
  /** Messages for fields the form doesn't show (e.g. "customer" or "version"), to display elsewhere. */
  unplaced: { field: string; message: string }[];
}

/**
 * @param mapField optional renaming from a server field name to the form's name path (return null to leave unplaced).
 */
export function applyServerErrors(
  form: FormInstance,
  err: unknown,
  mapField?: (field: string) => NamePath | null | undefined,
): AppliedErrors {
  const result: AppliedErrors = { applied: 0, unplaced: [] };
  if (!isApiError(err) || !err.fields) return result;
  const registered = form.getFieldsError().map((f) => f.name as NamePath);
  const toSet: { name: NamePath; errors: string[] }[] = [];
  for (const [field, message] of Object.entries(err.fields)) {
    const mapped = mapField ? mapField(field) : undefined;
    const name = mapped === undefined ? toNamePath(field) : mapped;
    if (name && registered.some((r) => sameName(r, name))) {
      toSet.push({ name, errors: [message] });
    } else {
      result.unplaced.push({ field, message });
    }
  }
  if (toSet.length) {
    form.setFields(toSet);
    result.applied = toSet.length;
    const first = toSet[0];
    if (first) form.scrollToField(first.name, { block: 'center', behavior: 'smooth' });
  }
  return result;
}
