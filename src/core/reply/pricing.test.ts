import { CACHE_MULTIPLIERS, PRICES, costOf, estimateCost, findPrice, formatCost, priceOf, readPriceSettings } from './pricing';
import { Usage } from '../types';

const u = (input: number, output: number, cacheRead = 0, cacheWrite = 0, cacheWrite1h = 0): Usage => ({ input, output, cacheRead, cacheWrite, cacheWrite1h });
const sonnet = PRICES['claude-sonnet-5-5'];

describe('cost arithmetic', () => {
  it.each<[string, Usage, number]>([
    ['uncached input and output', u(1_000_000, 1_000_000), 2 + 10],
    ['cache read at its own rate', u(0, 0, 1_000_000), 0.1],
    ['5m writes', u(0, 0, 0, 1_000_000), 2.5],
    ['1h writes are the 1h part of the writes', u(0, 0, 0, 1_000_000, 400_000), 0.6 * 2.5 + 0.4 * 4],
    ['a typical cached prompt', u(3, 420, 30_000, 900), (3 * 2 + 420 * 10 + 30_000 * 0.1 + 900 * 2.5) / 1e6],
    ['nothing', u(0, 0), 0]
  ])('%s', (_name, usage, dollars) => {
    expect(costOf(usage, sonnet)).toBeCloseTo(dollars, 10);
  });

  it.each<[string, number, number]>([
    ['Haiku 5.5 up to 100,000 tokens: low band', 100_000, 100_000 * 0.1 / 1e6],
    ['Haiku 5.5 over 100,000 tokens: every rate of the high band', 100_001, 100_001 * 0.5 / 1e6]
  ])('%s', (_name, input, dollars) => {
    expect(costOf(u(input, 0), PRICES['claude-haiku-5-5'])).toBeCloseTo(dollars, 12);
  });

  it('the high band counts cached input too', () => {
    expect(costOf(u(10, 0, 100_000), PRICES['claude-haiku-5-5'])).toBeCloseTo((10 * 0.5 + 100_000 * 0.05) / 1e6, 12);
  });

  it.each<[string, string, number | undefined]>([
    ['known', 'claude-opus-5-5', 4],
    ['dated id falls back to its alias', 'claude-haiku-4-5-20251001', 1],
    ['newest Fable', 'claude-fable-5-2', 8],
    ['unknown model', 'claude-mythos-preview', undefined],
    ['other provider', 'gpt-5', undefined]
  ])('finds the price of a %s', (_name, model, input) => {
    expect(findPrice(model)?.input).toBe(input);
  });

  it('an unknown model has no cost (tokens only)', () => {
    expect(estimateCost('my-local-model', u(100, 100))).toBeUndefined();
  });

  it('settings extend and override the table, deriving cache rates from the multipliers', () => {
    const { prices, problems } = readPriceSettings({
      'my-model': { input: 1, output: 2 },
      'claude-sonnet-5-5': { input: 3, output: 15, cacheRead: 0.3 },
      broken: { input: '1' },
      negative: { input: 1, output: 1, cacheRead: -1 }
    });
    expect(prices['my-model']).toEqual({ input: 1, output: 2, cacheWrite5m: CACHE_MULTIPLIERS.write5m, cacheWrite1h: 2, cacheRead: 0.1 });
    expect(estimateCost('claude-sonnet-5-5', u(1_000_000, 0), prices)).toBeCloseTo(3, 10);
    expect(estimateCost('claude-sonnet-5-5', u(0, 0, 1_000_000), prices)).toBeCloseTo(0.3, 10);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('modelPrices["broken"]');
  });

  it.each([
    [undefined, 0],
    ['nope', 1]
  ])('price settings %p give %p problems', (value, n) => {
    expect(readPriceSettings(value).problems).toHaveLength(n);
  });

  it('priceOf keeps given cache rates', () => {
    expect(priceOf({ input: 4, output: 20, cacheRead: 0.2 }).cacheRead).toBe(0.2);
  });

  it.each<[number, string]>([
    [0, '$0'],
    [0.00001, '<$0.0001'],
    [0.0123456, '$0.012'],
    [0.5, '$0.5'],
    [0.105, '$0.1'],
    [1.234, '$1.23'],
    [42, '$42.00']
  ])('formats %p as %p', (usd, text) => {
    expect(formatCost(usd)).toBe(text);
  });
});
