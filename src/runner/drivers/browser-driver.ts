// The small browser-driver interface the suites use: launch a Chromium, open a page, evaluate a function
// in it, close. Each driver (playwright.ts, puppeteer.ts) implements it; ../driver.ts picks one.
export type DriverName = 'playwright' | 'puppeteer';

interface DriverPage {
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
