/**
 * Usage -> dollars, from a table of public per-model prices that the settings can extend.
 *
 * Prices are USD per million tokens (MTok). Anthropic prices cache reads per model, not always
 * at 0.1× input (Opus 5.5 reads at 0.05×, Fable 5.1 at 0.025×), so every rate is stored as
 * published; an entry added from the settings with only input and output gets the documented
 * multipliers (write 5m ×1.25, write 1h ×2, read ×0.1).
 */
import { SHARED } from '../shared';
import { Usage } from '../types';

/** The prices of one model, USD per MTok. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache write with the 5 minute lifetime. */
  cacheWrite5m: number;
  /** Cache write with the 1 hour lifetime. */
  cacheWrite1h: number;
  /** Cache read (hits and refreshes). */
  cacheRead: number;
  /**
   * Rates for long prompts: when a prompt's input (cached or not) passes `threshold` tokens,
   * every rate of the request is `prices` (Haiku 5.5 bills in two bands).
   */
  above?: { threshold: number; prices: Omit<ModelPrice, 'above'> };
}

/** An entry as the settings may give it: input and output required, the rest derived. */
export interface PriceEntry {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

/** The documented multipliers on the input price. */
export const CACHE_MULTIPLIERS = Object.freeze({ ...SHARED.cacheMultipliers });

/**
 * Public prices (in src/core/aimagic-data.json, shared with the kernel side) from Anthropic's model pages and pricing page (platform.claude.com, read
 * 2026-11). Sonnet 5.5's cache read dropped from $0.20 to $0.10 on 2026-10-07. Haiku 5.5's
 * long-prompt band (over 100,000 tokens): input, output and 5m write are published, the 1h
 * write and read are the documented multipliers of its input (assumed). Fable 5.2 (released
 * 2026-11-09) from its list price; Mythos 5.2 assumed priced like Fable 5.2, as every earlier
 * Mythos was priced like its Fable. Models not listed (Mythos Preview, other providers' models)
 * show tokens only, unless the settings give a price.
 */
export const PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({ ...SHARED.prices });

/**
 * A full price from a settings entry, filling cache rates from the multipliers.
 *
 * @param entry - Input and output price, optionally the cache rates.
 */
export function priceOf(entry: PriceEntry): ModelPrice {
  return {
    input: entry.input,
    output: entry.output,
    cacheWrite5m: entry.cacheWrite5m ?? entry.input * CACHE_MULTIPLIERS.write5m,
    cacheWrite1h: entry.cacheWrite1h ?? entry.input * CACHE_MULTIPLIERS.write1h,
    cacheRead: entry.cacheRead ?? entry.input * CACHE_MULTIPLIERS.read
  };
}

/**
 * Read price entries from the settings, keeping the valid ones.
 *
 * @param value - The settings value (model id -> entry).
 * @returns The prices, and a message per invalid entry.
 */
export function readPriceSettings(value: unknown): { prices: Record<string, ModelPrice>; problems: string[] } {
  const prices: Record<string, ModelPrice> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) {
    return { prices, problems };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { prices, problems: ['modelPrices must be an object of model id -> prices.'] };
  }
  for (const [model, raw] of Object.entries(value as Record<string, unknown>)) {
    const e = raw as Record<string, unknown>;
    const num = (k: string) => e[k] === undefined || (typeof e[k] === 'number' && (e[k] as number) >= 0);
    if (!e || typeof e !== 'object' || typeof e.input !== 'number' || typeof e.output !== 'number' ||
      !['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'].every(num)) {
      problems.push(`modelPrices["${model}"] needs non-negative numbers "input" and "output" (USD per million tokens); it is ignored.`);
      continue;
    }
    prices[model] = priceOf(e as unknown as PriceEntry);
  }
  return { prices, problems };
}

/**
 * The price of a model: settings first, then the table; a dated id (`…-20251001`) falls
 * back to its undated alias.
 *
 * @param model - Model id as the provider reported it.
 * @param extra - Prices from the settings.
 * @returns The price, or undefined for an unknown model.
 */
export function findPrice(model: string, extra: Record<string, ModelPrice> = {}): ModelPrice | undefined {
  const undated = model.replace(/-\d{8}$/, '');
  return extra[model] ?? extra[undated] ?? PRICES[model] ?? PRICES[undated];
}

/**
 * The cost of one reply in USD.
 *
 * @param usage - The reply's usage (`cacheWrite1h` is the 1 hour part of `cacheWrite`).
 * @param price - The model's price.
 */
export function costOf(usage: Usage, price: ModelPrice): number {
  const prompt = usage.input + usage.cacheRead + usage.cacheWrite;
  const p = price.above && prompt > price.above.threshold ? price.above.prices : price;
  const write1h = Math.min(usage.cacheWrite1h ?? 0, usage.cacheWrite);
  const dollars =
    usage.input * p.input +
    usage.output * p.output +
    usage.cacheRead * p.cacheRead +
    (usage.cacheWrite - write1h) * p.cacheWrite5m +
    write1h * p.cacheWrite1h;
  return dollars / 1_000_000;
}

/**
 * The cost of a reply, or undefined when the model has no known price.
 *
 * @param model - Model id.
 * @param usage - The reply's usage.
 * @param extra - Prices from the settings.
 */
export function estimateCost(model: string, usage: Usage, extra: Record<string, ModelPrice> = {}): number | undefined {
  const price = findPrice(model, extra);
  return price ? costOf(usage, price) : undefined;
}

/**
 * Dollars for display: cents for large amounts, four significant digits for small ones.
 *
 * @param usd - Amount in USD.
 */
export function formatCost(usd: number): string {
  if (usd >= 1) {
    return `$${usd.toFixed(2)}`;
  }
  if (usd === 0) {
    return '$0';
  }
  if (usd < 0.0001) {
    return '<$0.0001';
  }
  return `$${usd.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}
