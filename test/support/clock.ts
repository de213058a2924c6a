/** The time every test plugin sees; tests move it with setNow, each starts from the default. */
export const defaultNow = new Date('2026-03-02T15:00:00.000Z');
let now = defaultNow;

export const clock = (): Date => new Date(now.getTime());
export function setNow(at: string | Date): void {
  now = new Date(at);
}
export function resetNow(): void {
  now = defaultNow;
}
