// The vocabulary of returns, take-back repairs and loaners without zod, shared by the server's pure rules
// (domain/returns.ts), the contract (returns.ts) and the console.
export const RMA_KINDS = ['return', 'exchange', 'repair'] as const;
export type RmaKind = (typeof RMA_KINDS)[number];
export const RMA_STATUSES = ['requested', 'approved', 'rejected', 'in_transit', 'received', 'resolved', 'shipped_back', 'completed', 'cancelled'] as const;
export type RmaStatus = (typeof RMA_STATUSES)[number];
export const RMA_ACTIONS = ['approve', 'reject', 'cancel', 'ship_in', 'receive', 'outcome', 'ship_out', 'complete'] as const;
export type RmaAction = (typeof RMA_ACTIONS)[number];
export const CHECKLIST_ITEMS = ['appearanceIntact', 'accessoriesComplete', 'proofOfPurchase', 'noManMadeDamage'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export const TAKE_BACK_STEPS = ['collected', 'at_workshop', 'repaired', 'returned'] as const;
export type TakeBackStep = (typeof TAKE_BACK_STEPS)[number];
export const LOANER_STATES = ['available', 'lent', 'in_repair', 'retired'] as const;
export type LoanerState = (typeof LOANER_STATES)[number];
