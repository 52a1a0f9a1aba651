// The Puppeteer driver (puppeteer-core: no browser download; the executable comes from chromium.ts).
import puppeteer from 'puppeteer-core';
import type { BrowserDriver } from './browser-driver.js';

export const puppeteerDriver: BrowserDriver = {
  name: 'puppeteer',
  async launch(executablePath, args) {
    const browser = await puppeteer.launch({ executablePath, args, headless: true, defaultViewport: null });
    const version = (await browser.version()).replace(/^[^/]*\//, '');
    return {
      version,
      async open(url) {
        const page = await browser.newPage();
        await page.goto(url);
        return {
          evaluate: (fn, arg) => page.evaluate(fn as (a: unknown) => never, arg),
          onFailure(listener) {
            page.on('error', (err) => listener(`the page crashed: ${err.message}`));
            page.on('pageerror', (err) => listener(`uncaught error in the page: ${(err as Error).message ?? err}`));
          },
        };
      },
      close: () => browser.close(),
    };
  },
};
