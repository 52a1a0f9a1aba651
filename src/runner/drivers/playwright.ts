// The Playwright driver (playwright-core: no browser download; the executable comes from chromium.ts).
import { chromium } from 'playwright-core';
import type { BrowserDriver } from './browser-driver.js';

export const playwrightDriver: BrowserDriver = {
  name: 'playwright',
  async launch(executablePath, args) {
    const browser = await chromium.launch({ executablePath, args });
    return {
      version: browser.version(),
      async open(url) {
        const page = await browser.newPage();
        await page.goto(url);
        return {
          evaluate: (fn, arg) => page.evaluate(fn as (a: unknown) => never, arg),
          onFailure(listener) {
            page.on('crash', () => listener('the page crashed'));
            page.on('pageerror', (err) => listener(`uncaught error in the page: ${err.message}`));
          },
        };
      },
      close: () => browser.close(),
    };
  },
};
