// SLA domain: business calendars, working-time deadlines, policies. Pure.
export * from './calendar.js';
export * from './deadlines.js';
export * from './policy.js';
