/**
 * The providers the core knows, by id. Adding a provider is one file plus one line here.
 */
import { SHARED } from '../shared';
import { ChatRequest } from '../types';
import { AnthropicProvider } from './anthropic';
import { toAnthropicBody } from './anthropic-body';
import { LocalProvider } from './local';
import { OpenAIProvider } from './openai';
import { toCompatibleBody, toOpenAIBody } from './openai-body';
import { ChatProvider } from './provider';

/** Where and how a provider is reached, as the glue decided (proxy or direct). */
export interface ProviderEndpoint {
  /** Base URL in the provider's own convention (see {@link ProviderInfo.baseURLConvention}). */
  baseURL?: string;
  /** The key, or a placeholder when the proxy adds it or the server needs none. */
  apiKey: string;
  /** The fetch to use (the Jupyter proxy's adds Jupyter's auth). */
  fetch?: typeof fetch;
  /** True in a browser. */
  browser?: boolean;
  /** Where requests go, for messages (e.g. `the Jupyter server`). */
  endpoint?: string;
}

/** What the core knows of a provider without connecting to it. */
export interface ProviderInfo {
  id: string;
  label: string;
  /** Environment variable that holds the key on the Jupyter server. */
  keyEnv?: string;
  /** The exact request body for a neutral request. */
  toBody(request: ChatRequest): Record<string, unknown>;
  /** False for servers that need no key (a local server). */
  needsKey: boolean;
  /** What the base URL (and the proxy's upstream) points at: the API root with or without `/v1`. */
  baseURLConvention: string;
  /** Base URL in direct mode when the settings give none. */
  defaultBaseURL?: string;
  /** Model to use when a notebook switches to this provider and names none. */
  defaultModel?: string;
  /** A line for the reply footer (e.g. how to switch to another provider). */
  footerHint?: string;
  /**
   * Make the provider.
   *
   * @param endpoint - Where and how to reach it.
   */
  create(endpoint: ProviderEndpoint): ChatProvider;
}

/** Known providers. */
export const PROVIDERS: Readonly<Record<string, ProviderInfo>> = Object.freeze({
  anthropic: {
    id: 'anthropic',
    label: 'Anthropic',
    keyEnv: 'ANTHROPIC_API_KEY',
    toBody: toAnthropicBody,
    needsKey: true,
    baseURLConvention: 'the API root without /v1, e.g. https://api.anthropic.com',
    defaultModel: SHARED.providers.anthropic.defaultModel,
    create: e =>
      new AnthropicProvider({ apiKey: e.apiKey, baseURL: e.baseURL, fetch: e.fetch, dangerouslyAllowBrowser: e.browser, keyEnv: 'ANTHROPIC_API_KEY', endpoint: e.endpoint })
  },
  openai: {
    id: 'openai',
    label: 'OpenAI',
    keyEnv: 'OPENAI_API_KEY',
    toBody: toOpenAIBody,
    needsKey: true,
    baseURLConvention: 'the API root with /v1, e.g. https://api.openai.com/v1 (or any OpenAI-compatible server)',
    defaultModel: SHARED.providers.openai.defaultModel,
    create: e =>
      new OpenAIProvider({ apiKey: e.apiKey, baseURL: e.baseURL, fetch: e.fetch, dangerouslyAllowBrowser: e.browser, keyEnv: 'OPENAI_API_KEY', endpoint: e.endpoint })
  },
  local: {
    id: 'local',
    label: 'Local model server',
    toBody: toCompatibleBody,
    needsKey: false,
    baseURLConvention: "the server's root without /v1, e.g. http://127.0.0.1:8080 (llama.cpp, Ollama :11434, vLLM :8000)",
    defaultBaseURL: 'http://127.0.0.1:8080',
    defaultModel: SHARED.providers.local.defaultModel,
    footerHint:
      'Answered by a small model on this machine. For Claude or OpenAI: set ANTHROPIC_API_KEY or OPENAI_API_KEY for the Jupyter server ' +
      'and choose the provider in Settings → AI Magic (or with "Choose AI Model…").',
    create: e =>
      new LocalProvider({ rootURL: e.baseURL ?? 'http://127.0.0.1:8080', apiKey: e.apiKey, fetch: e.fetch, dangerouslyAllowBrowser: e.browser, endpoint: e.endpoint })
  }
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
