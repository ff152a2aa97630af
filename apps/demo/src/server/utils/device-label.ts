/**
 * Only the start of the header is examined: every browser and OS token sits in its first few hundred
 * characters, and a client-chosen header must not cost more than that.
 */
const SCANNED_LENGTH = 512;

/** Most specific first: Edge, Opera and Samsung Internet also say "Chrome", and Chrome also says "Safari". */
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:HeadlessChrome|Chrome|Chromium|CriOS)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

/** Android and iOS before Linux and macOS: their user agents also mention those. */
const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/\bWindows\b/, 'Windows'],
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * A short name for the device a request comes from, such as "Firefox on Linux", for the "Your sessions" list:
 * always one of a few fixed browser and OS names, never text from the header itself, so what a client sends
 * can neither inject markup nor grow the stored label. "Unknown device" when neither is recognised.
 */
export function deviceLabel(userAgent: string | undefined): string {
  const scanned = (userAgent ?? '').slice(0, SCANNED_LENGTH);
  const browser = BROWSERS.find(([pattern]) => pattern.test(scanned))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(scanned))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `${system} device` : 'Unknown device');
}
