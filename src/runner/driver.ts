// The small browser-driver interface the suites use, so a result never depends on one driver:
// launch a Chromium, open a page, evaluate a function in it, close. Playwright is the default,
// Puppeteer the second driver (drivers/playwright.ts, drivers/puppeteer.ts).
export type DriverName = 'playwright' | 'puppeteer';
export const DRIVERS: readonly DriverName[] = ['playwright', 'puppeteer'];

export interface DriverPage {
  /** Run `fn(arg)` in the page and return its (JSON-serialisable) result. */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Called once if the page crashes or throws an uncaught error. */
  onFailure(listener: (message: string) => void): void;
}

export interface DriverBrowser {
  /** Chromium version, e.g. "147.0.7727.0" */
  version: string;
  open(url: string): Promise<DriverPage>;
  close(): Promise<void>;
}

export interface BrowserDriver {
  name: DriverName;
  launch(executablePath: string, args: string[]): Promise<DriverBrowser>;
}

export function driverName(value: string): DriverName {
  if (!(DRIVERS as readonly string[]).includes(value)) throw new Error(`unknown driver "${value}" (expected ${DRIVERS.join(' or ')})`);
  return value as DriverName;
}

/** Load a driver (its library only when asked for). */
export async function loadDriver(name: DriverName): Promise<BrowserDriver> {
  return name === 'puppeteer' ? (await import('./drivers/puppeteer.js')).puppeteerDriver : (await import('./drivers/playwright.js')).playwrightDriver;
}
