// Contact details: normalising phone numbers for lookup and masking them for people who do not need them. Pure.

/** Digits of a phone number, without a leading China country code, so "+86 138-1234-5678" finds "13812345678". */
export function phoneDigits(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return digits.length > 0 ? digits : null;
}

/** `13812345678` → `138****5678`; short numbers keep only their last two digits. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 7) {
    const keepEnd = 4;
    const keepStart = digits.length >= 11 ? 3 : 2;
    const national = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
    return national.slice(0, keepStart) + '****' + national.slice(-keepEnd);
  }
  return '****' + digits.slice(-2);
}

/** `zhang.wei@example.com` → `z***@example.com`. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return email[0] + '***' + email.slice(at);
}
