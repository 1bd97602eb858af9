// Browser tests against the portal that scripts/browser-test starts (PORTAL_URL),
// in Debian's Chromium (CHROMIUM_PATH), at a phone and a desktop viewport, in Chinese.
const { defineConfig } = require('@playwright/test');

const chromium = {
  browserName: 'chromium',
  launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  baseURL: process.env.PORTAL_URL,
};

module.exports = defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  // One portal, one database: journeys run one after another so their counts stay exact.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: { screenshot: 'only-on-failure', trace: 'off' },
  projects: [
    { name: 'phone', testIgnore: /xss\.spec\.js/, use: { ...chromium, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } },
    { name: 'desktop', testIgnore: /xss\.spec\.js/, use: { ...chromium, viewport: { width: 1280, height: 800 } } },
    // Last, once: the XSS corpus it stores would otherwise appear on the pages the others check.
    { name: 'xss', testMatch: /xss\.spec\.js/, dependencies: ['phone', 'desktop'], use: { ...chromium, viewport: { width: 1280, height: 800 } } },
  ],
});
