/**
 * The providers the core knows, by id. Adding a provider is one file plus one line here.
 */
import { ChatRequest } from '../types';
import { toAnthropicBody } from './anthropic-body';

/** What the core knows of a provider without connecting to it. */
export interface ProviderInfo {
  id: string;
  label: string;
  /** Environment variable that holds the key on the Jupyter server. */
  keyEnv?: string;
  /** The exact request body for a neutral request. */
  toBody(request: ChatRequest): Record<string, unknown>;
}

/** Known providers. */
export const PROVIDERS: Readonly<Record<string, ProviderInfo>> = Object.freeze({
  anthropic: { id: 'anthropic', label: 'Anthropic', keyEnv: 'ANTHROPIC_API_KEY', toBody: toAnthropicBody }
});

/**
 * Look a provider up.
 *
 * @param id - Provider id.
 * @throws Error naming the known ids when there is none of that id.
 */
export function providerInfo(id: string): ProviderInfo {
  const info = PROVIDERS[id];
  if (!info) {
    throw new Error(`Unknown provider "${id}". Known providers: ${Object.keys(PROVIDERS).join(', ')}.`);
  }
  return info;
}
