// What a password must be wherever one is set (an admin creating or resetting a user, a user changing their own,
// AFTERCARE_ADMIN_PASSWORD): at least PASSWORD_MIN_LENGTH characters and not on a list of common passwords.
// Signing in checks neither: an older password keeps working until it is changed.
import { createRequire } from 'node:module';

export const PASSWORD_MIN_LENGTH = 10;

// Passwords common in Chinese-speaking leaks that the (mostly Western) list below lacks, and this product's own
// names, which a desk setting up its users reaches for first.
const EXTRA_COMMON = [
  'woaini1314', 'woaini520', 'woaini5201314', 'iloveyou1314', '5201314520', '1314520520', 'wo5201314', 'woaini123456',
  'qq123456789', 'qq5201314', 'aini1314520', 'zhang123456', 'wang123456', 'li123456789', 'abc123456789', 'a1234567890',
  'aa123456789', 'aaa123456789', 'asd123456789', 'zxc123456789', 'qwe123456789', '147258369a', '1472583690', '123456789abc',
  'aftercare', 'aftercare1', 'aftercare123', 'aftercare2026', 'demo12345', 'demo123456', 'admin12345', 'admin123456',
  'administrator', 'password1234', 'changeme123', 'welcome123', 'welcome1234',
];

let common: Set<string> | null = null;

/** The list (about 49,000 entries from @zxcvbn-ts/language-common) is read on first use: it takes ~200 ms. */
function commonPasswords(): Set<string> {
  if (!common) {
    // The package's CommonJS build loads synchronously, so configuration checks can use it too.
    const pkg = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    common = new Set([...pkg.dictionary['passwords-common']!, ...EXTRA_COMMON]);
  }
  return common;
}

/** Case and surrounding spaces do not make a listed password safe ("Password123" is "password123"). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.trim().toLowerCase());
}

/** The problem with a new password, as a message key under `field.`, or null when it may be used. */
export function passwordProblem(password: string): 'password_short' | 'password_common' | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'password_short';
  if (isCommonPassword(password)) return 'password_common';
  return null;
}
