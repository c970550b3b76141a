// TanStack Query hooks for reference data shared by many pages.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { refApi } from './endpoints.js';
import type { Category, Department, User } from './types.js';

const REF_STALE = 5 * 60_000;

export const qk = {
  me: ['me'] as const,
  departments: ['departments'] as const,
  categories: ['categories'] as const,
  users: (q: object = {}) => ['users', q] as const,
  tickets: (q: object) => ['tickets', q] as const,
  ticketCount: (q: object) => ['tickets', 'count', q] as const,
  ticket: (n: string) => ['ticket', n] as const,
  comments: (n: string) => ['ticket', n, 'comments'] as const,
  events: (n: string) => ['ticket', n, 'events'] as const,
  attachments: (n: string) => ['ticket', n, 'attachments'] as const,
  customers: (q: object) => ['customers', q] as const,
  customer: (id: number) => ['customer', id] as const,
  lookup: (phone: string) => ['lookup', phone] as const,
  subtasks: (n: string) => ['ticket', n, 'subtasks'] as const,
  notifications: ['notifications'] as const,
  notificationGroups: ['notifications', 'groups'] as const,
  notificationPage: (q: object) => ['notifications', 'page', q] as const,
  notifyPrefs: ['notifications', 'preferences'] as const,
  slaPolicies: ['sla', 'policies'] as const,
  calendars: ['sla', 'calendars'] as const,
  routingRules: ['routing', 'rules'] as const,
  webhooks: ['webhooks'] as const,
  messageTemplates: ['messages', 'templates'] as const,
  messageChannels: ['messages', 'channels'] as const,
  ticketMessages: (n: string) => ['ticket', n, 'messages'] as const,
  apiTokens: ['auth', 'tokens'] as const,
};

export function useDepartments() {
  const q = useQuery({ queryKey: qk.departments, queryFn: refApi.departments, staleTime: REF_STALE });
  const byId = useMemo(() => new Map<number, Department>((q.data?.items ?? []).map((d) => [d.id, d])), [q.data]);
  return { ...q, items: q.data?.items ?? [], byId };
}

export function useCategories() {
  const q = useQuery({ queryKey: qk.categories, queryFn: refApi.categories, staleTime: REF_STALE });
  const byCode = useMemo(() => new Map<string, Category>((q.data?.items ?? []).map((c) => [c.code, c])), [q.data]);
  return { ...q, items: q.data?.items ?? [], byCode };
}

export function useUsers(params: { departmentId?: number; role?: string } = {}, enabled = true) {
  const q = useQuery({
    queryKey: qk.users(params),
    queryFn: () => refApi.users(params),
    staleTime: REF_STALE,
    enabled,
  });
  const byId = useMemo(() => new Map<number, User>((q.data?.items ?? []).map((u) => [u.id, u])), [q.data]);
  return { ...q, items: q.data?.items ?? [], byId };
}

export interface CategoryNode {
  value: string;
  title: string;
  key: string;
  children?: CategoryNode[];
  disabled?: boolean;
}

export type CategoryTreeRow = Category & { children?: CategoryTreeRow[] };

/** The flat category list (parentCode links) as a tree, siblings by `sort`; a category whose parent is missing is a root. */
export function categoryForest(items: Category[]): CategoryTreeRow[] {
  const codes = new Set(items.map((c) => c.code));
  const children = new Map<string | null, Category[]>();
  for (const c of items) {
    const parent = c.parentCode && codes.has(c.parentCode) ? c.parentCode : null;
    const list = children.get(parent) ?? [];
    list.push(c);
    children.set(parent, list);
  }
  const make = (parent: string | null): CategoryTreeRow[] =>
    (children.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
      .map((c) => {
        const kids = make(c.code);
        return { ...c, ...(kids.length ? { children: kids } : {}) };
      });
  return make(null);
}

/** Builds the TreeSelect tree from the flat category list. */
export function buildCategoryTree(items: Category[], includeInactive = false): CategoryNode[] {
  const toNode = (c: CategoryTreeRow): CategoryNode => ({ value: c.code, key: c.code, title: c.name, ...(c.children ? { children: c.children.map(toNode) } : {}) });
  return categoryForest(items.filter((c) => includeInactive || c.active)).map(toNode);
}

/** "Parent / Child" label of a category code (falls back to the code itself). */
export function categoryPath(code: string | null | undefined, byCode: Map<string, Category>): string {
  if (!code) return '';
  const parts: string[] = [];
  let cur = byCode.get(code);
  let guard = 0;
  while (cur && guard++ < 10) {
    parts.unshift(cur.name);
    cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
  }
  return parts.length ? parts.join(' / ') : code;
}
