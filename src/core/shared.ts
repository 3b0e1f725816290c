/**
 * The data both sides of AI Magic need, read from the one JSON file that the kernel-side
 * magic (`jupyterlab_aimagic/magic`) reads too: the reply separator, the defaults, the
 * default model of each provider, the instructions and the prices. Keeping one copy is what
 * lets the conformance table (`conformance/`) hold both sides to the same request.
 */
import data from './aimagic-data.json';
import type { AISettings } from './settings';

/** Prices of one model as the data file stores them, USD per million tokens. */
export interface SharedPrice {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  above?: { threshold: number; prices: Omit<SharedPrice, 'above'> };
}

/** What a provider entry of the data file says. */
export interface SharedProvider {
  label: string;
  keyEnv?: string;
  defaultModel: string;
  baseURL: string;
}

/** The shape of `aimagic-data.json`. */
export interface SharedData {
  replyMarker: string;
  aiFlag: string;
  defaultSettings: AISettings;
  providers: Record<string, SharedProvider>;
  instructions: { base: string[]; modes: Record<'standard' | 'learning' | 'concise', string>; pinned: string };
  cacheMultipliers: { write5m: number; write1h: number; read: number };
  prices: Record<string, SharedPrice>;
}

/** The shared data, as read from `aimagic-data.json`. */
export const SHARED: SharedData = data as SharedData;
