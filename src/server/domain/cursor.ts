// Opaque paging cursors: the sort key values of the last row, base64url JSON. Pure.

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The key values, or null when the cursor is not one we made for this shape (`types`: 's' string, 'n' number). */
export function decodeCursor(cursor: string, types: ('s' | 'n')[]): (string | number)[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length) return null;
  for (let i = 0; i < types.length; i++) {
    const v = parsed[i];
    if (types[i] === 'n' && !(typeof v === 'number' && Number.isSafeInteger(v))) return null;
    if (types[i] === 's' && !(typeof v === 'string' && v.length <= 200)) return null;
  }
  return parsed as (string | number)[];
}
