// The pure pairing-and-quota engine: school calendar, quotas as data, standings and roll-ups.
// No database, no HTTP, no clock: callers pass the day to evaluate on. See docs/quota-engine.md.
export * from './dates.js';
export * from './calendar.js';
export * from './quota.js';
export * from './standing.js';
