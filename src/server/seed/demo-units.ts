// Demo data for products and units (issue 16): each product's installation rule, fee standard and return window, and
// each unit's proof of purchase, installation acceptance and extended warranty — most units proven, some accepted
// after installation, some without any proof (warranty unknown until staff ask for it).
import { createRng } from './demo-content.js';
import { INSTALLED_LINES, type DemoProduct } from './demo-content.js';

/** Fen (分): call-out and labour by fault class per product line. */
const FEES: Record<string, { callout: number; hardware: number; software: number; usage: number }> = {
  ac: { callout: 5000, hardware: 15000, software: 8000, usage: 3000 },
  fridge: { callout: 5000, hardware: 12000, software: 6000, usage: 3000 },
  washer: { callout: 4000, hardware: 10000, software: 6000, usage: 2000 },
  water_heater: { callout: 4000, hardware: 10000, software: 5000, usage: 2000 },
  purifier: { callout: 3000, hardware: 6000, software: 3000, usage: 1500 },
  robot: { callout: 0, hardware: 8000, software: 4000, usage: 0 },
  laptop: { callout: 0, hardware: 20000, software: 10000, usage: 5000 },
  server: { callout: 30000, hardware: 80000, software: 50000, usage: 20000 },
  medical: { callout: 20000, hardware: 60000, software: 30000, usage: 10000 },
  software: { callout: 50000, hardware: 0, software: 80000, usage: 20000 },
};

export function demoProductFields(p: DemoProduct) {
  const fees = FEES[p.line] ?? FEES.washer;
  return {
    needs_installation: INSTALLED_LINES.has(p.line) ? 1 : 0,
    callout_fee: fees.callout,
    labour_fees: JSON.stringify({ hardware: fees.hardware, software: fees.software, usage: fees.usage }),
    return_days: p.line === 'software' ? 0 : p.line === 'server' || p.line === 'medical' ? 15 : 7,
  };
}

/**
 * A unit's proof, acceptance and extension. Its own random stream (seeded by the serial), so adding these facts did
 * not change the rest of the demo data.
 */
export function demoUnitFields(u: { serialNumber: string; purchaseDate: string; installDate: string | null }, p: DemoProduct | undefined) {
  let seed = 0;
  for (const ch of u.serialNumber) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  const rng = createRng(seed);
  const installed = p ? INSTALLED_LINES.has(p.line) : false;
  // One unit in eight has no proof on file: its warranty shows "unknown – proof needed".
  const proven = rng() >= 0.125;
  const accepted = installed && u.installDate !== null && rng() >= 0.1;
  const acceptance = accepted ? addDaysIso(u.installDate!, Math.floor(rng() * 4)) : null;
  const extended = rng() < 0.12 ? (rng() < 0.5 ? 12 : 24) : 0;
  return {
    proof_ref: proven ? `INV${u.purchaseDate.replace(/-/g, '')}${String(seed % 100000).padStart(5, '0')}` : null,
    acceptance_date: acceptance,
    extended_months: extended,
  };
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
