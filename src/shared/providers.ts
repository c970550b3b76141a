// The service network (服务网点, issue 16): service providers — authorised repair shops, installers — and their
// people, the engineers' profiles the dispatcher ranks by, and the field-service settings. The API contract.
import { z } from 'zod';
import { id, phone, text } from './fields.js';

const area = text(40, 1);
const names = (max: number) => z.array(area).max(max);

export const ServiceProvider = z.object({
  id: z.number(),
  name: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  areas: z.array(z.string()),
  productLines: z.array(z.string()),
  note: z.string().nullable(),
  active: z.boolean(),
  /** Active engineers and dispatchers. */
  people: z.number(),
  version: z.number(),
});
export type ServiceProvider = z.infer<typeof ServiceProvider>;

export const ServiceProviderBody = z.object({
  name: text(100, 1),
  contactName: text(80).nullable().optional(),
  contactPhone: phone.nullable().optional().or(z.literal('').transform(() => null)),
  areas: names(50).default([]),
  productLines: names(20).default([]),
  note: text(1000).nullable().optional(),
  active: z.boolean().default(true),
});
export const ServiceProviderPatchBody = ServiceProviderBody.partial().extend({ version: z.number().int() });
export const ServiceProviderList = z.object({ items: z.array(ServiceProvider) });

export const PROVIDER_PERSON_ROLES = ['engineer', 'dispatcher'] as const;
export const ProviderPerson = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(PROVIDER_PERSON_ROLES),
  phone: z.string().nullable(),
  active: z.boolean(),
});
export type ProviderPerson = z.infer<typeof ProviderPerson>;
export const ProviderPersonBody = z.object({
  username: z.string().trim().min(2).max(50).regex(/^[A-Za-z0-9_.-]+$/, { message: 'username_format' }),
  displayName: text(100, 1),
  role: z.enum(PROVIDER_PERSON_ROLES),
  /** Also refused when on the common-password list (domain/password-policy.ts). */
  password: z.string().min(10).max(200),
  phone: phone.optional().or(z.literal('').transform(() => undefined)),
});
export const ProviderPersonPatchBody = z.object({
  displayName: text(100, 1).optional(),
  role: z.enum(PROVIDER_PERSON_ROLES).optional(),
  active: z.boolean().optional(),
  password: z.string().min(10).max(200).optional(),
});
export const ProviderPeople = z.object({ items: z.array(ProviderPerson) });
export const ProviderPersonParams = z.object({ id, userId: id });

/** An engineer's profile as the admin page lists it: the company's and the providers' engineers. */
export const EngineerProfile = z.object({
  id: z.number(),
  name: z.string(),
  username: z.string(),
  active: z.boolean(),
  area: z.string().nullable(),
  areas: z.array(z.string()),
  productLines: z.array(z.string()),
  provider: z.object({ id: z.number(), name: z.string() }).nullable(),
});
export type EngineerProfile = z.infer<typeof EngineerProfile>;
export const EngineerProfiles = z.object({ items: z.array(EngineerProfile) });

/** The travel gap between two visits of one engineer: a default and per pair of areas (either order). */
export const FieldSettings = z.object({
  minGapMinutes: z.number(),
  areaGaps: z.array(z.object({ from: z.string(), to: z.string(), minutes: z.number() })),
});
export type FieldSettings = z.infer<typeof FieldSettings>;
export const FieldSettingsBody = z.object({
  minGapMinutes: z.number().int().min(0).max(480),
  areaGaps: z
    .array(z.object({ from: area, to: area, minutes: z.number().int().min(0).max(480) }))
    .max(200)
    .default([]),
});
