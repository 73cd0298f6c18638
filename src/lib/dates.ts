// Calendar dates as UTC days: expiry and age are whole days, so time zones must not shift them.
const DAY_MS = 86_400_000;

/** Days since the epoch of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function today(now: Date): number {
  return Math.floor(now.getTime() / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
