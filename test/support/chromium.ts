/**
 * How every browser test and benchmark launches Chromium: Debian's build
 * (never `playwright install`; CHROMIUM_PATH overrides), headless, with the
 * same flags. No side effects, so the Playwright configs and the benchmarks
 * import it alike (playwright.config.ts itself makes folders and sets the
 * environment when loaded).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** For `chromium.launch()`. */
export const CHROMIUM_LAUNCH = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true };

/** For a Playwright config's `use`. */
export const CHROMIUM_USE = {
  browserName: 'chromium' as const,
  headless: true,
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
};
