// Which browser driver runs the suites, so a result never depends on one driver: Playwright by default,
// Puppeteer the second (drivers/playwright.ts, drivers/puppeteer.ts, behind drivers/browser-driver.ts).
import type { BrowserDriver, DriverName } from './drivers/browser-driver.js';

export const DRIVERS: readonly DriverName[] = ['playwright', 'puppeteer'];

export function driverName(value: string): DriverName {
  if (!(DRIVERS as readonly string[]).includes(value)) throw new Error(`unknown driver "${value}" (expected ${DRIVERS.join(' or ')})`);
  return value as DriverName;
}

/** Load a driver (its library only when asked for). */
export async function loadDriver(name: DriverName): Promise<BrowserDriver> {
  return name === 'puppeteer' ? (await import('./drivers/puppeteer.js')).puppeteerDriver : (await import('./drivers/playwright.js')).playwrightDriver;
}
