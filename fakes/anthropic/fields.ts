/**
 * Validation of a request's secondary fields: tools, tool choice, thinking, stop sequences
 * and the fields checked for type only.
 */
import { Breakpoint, Ttl, cacheControl } from './blocks';
import { invalid } from './errors';
import { Json, checkKeys, isObject, requireObject, requireString } from './json';

/** Thinking configuration, when not disabled. */
export interface Thinking {
  type: 'enabled' | 'adaptive' | 'between_tools';
  budgetTokens?: number;
  display?: 'summarized' | 'omitted' | null;
}

/**
 * `tools`: custom tools need a valid name and an object schema; names are unique.
 *
 * @param value - The field as sent.
 * @param breakpoints - Receives the tools' breakpoints.
 */
export function validateTools(value: unknown, breakpoints: Breakpoint[]): { tools: Json[]; toolTtls: Array<Ttl | undefined> } {
  if (value === undefined) {
    return { tools: [], toolTtls: [] };
  }
  if (!Array.isArray(value)) {
    throw invalid('tools: Input should be a valid list');
  }
  const names = new Set<string>();
  const toolTtls: Array<Ttl | undefined> = [];
  const tools = value.map((tool, i) => {
    const path = `tools.${i}`;
    const json = requireObject(tool, path);
    const name = requireString(json, 'name', path);
    if (json.type === undefined || json.type === 'custom') {
      checkKeys(json, path, [
        'type', 'name', 'description', 'input_schema', 'cache_control', 'strict', 'defer_loading',
        'input_examples', 'allowed_callers', 'eager_input_streaming'
      ]);
      if (!/^[a-zA-Z0-9_-]{1,128}$/.test(name)) {
        throw invalid(`${path}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      }
      const schema = requireObject(json.input_schema, `${path}.input_schema`);
      if (schema.type !== 'object') {
        throw invalid(`${path}.input_schema.type: Input should be 'object'`);
      }
    }
    if (names.has(name)) {
      throw invalid(`tools: Tool names must be unique (${name})`);
    }
    names.add(name);
    toolTtls.push(cacheControl(json.cache_control, path, breakpoints));
    return json;
  });
  return { tools, toolTtls };
}

/**
 * `tool_choice`: auto, any, none, or a named tool.
 *
 * @param value - The field as sent.
 */
export function validateToolChoice(value: unknown): Json | undefined {
  if (value === undefined) {
    return undefined;
  }
  const json = requireObject(value, 'tool_choice');
  checkKeys(json, 'tool_choice', ['type', 'name', 'disable_parallel_tool_use']);
  if (!['auto', 'any', 'none', 'tool'].includes(json.type as string)) {
    throw invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  }
  if (json.type === 'tool') {
    requireString(json, 'name', 'tool_choice');
  }
  return json;
}

/**
 * `thinking`: enabled (with a budget ≥ 1024), adaptive, between_tools or disabled.
 *
 * @param value - The field as sent.
 * @returns The configuration, or undefined when thinking is off.
 */
export function validateThinking(value: unknown): Thinking | undefined {
  if (value === undefined) {
    return undefined;
  }
  const json = requireObject(value, 'thinking');
  const display = json.display as Thinking['display'];
  if (display !== undefined && display !== null && display !== 'summarized' && display !== 'omitted') {
    throw invalid("thinking.display: Input should be 'summarized' or 'omitted'");
  }
  switch (json.type) {
    case 'enabled': {
      checkKeys(json, 'thinking', ['type', 'budget_tokens', 'display']);
      const budget = json.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget)) {
        throw invalid('thinking.budget_tokens: Input should be a valid integer');
      }
      if (budget < 1024) {
        throw invalid('thinking.budget_tokens: Input should be greater than or equal to 1024');
      }
      return { type: 'enabled', budgetTokens: budget, display };
    }
    case 'adaptive':
      checkKeys(json, 'thinking', ['type', 'display']);
      return { type: 'adaptive', display };
    case 'between_tools':
    case 'disabled':
      checkKeys(json, 'thinking', ['type']);
      return json.type === 'disabled' ? undefined : { type: 'between_tools' };
    default:
      throw invalid("thinking.type: Input should be 'enabled', 'adaptive', 'between_tools' or 'disabled'");
  }
}

/**
 * `stop_sequences`: a list of non-empty strings.
 *
 * @param value - The field as sent.
 */
export function validateStopSequences(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.some(s => typeof s !== 'string' || s.length === 0)) {
    throw invalid('stop_sequences: Input should be a list of non-empty strings');
  }
  return value as string[];
}

/**
 * The remaining optional fields, checked for type only.
 *
 * @param json - The whole request body.
 */
export function validateOtherFields(json: Json): void {
  const enums: Record<string, readonly unknown[]> = {
    service_tier: ['auto', 'standard_only'],
    speed: ['standard', 'fast', null]
  };
  for (const [key, allowed] of Object.entries(enums)) {
    if (json[key] !== undefined && !allowed.includes(json[key])) {
      throw invalid(`${key}: Input should be ${allowed.map(a => JSON.stringify(a)).join(', ')}`);
    }
  }
  for (const key of ['metadata', 'output_config', 'diagnostics']) {
    if (json[key] !== undefined && json[key] !== null && !isObject(json[key])) {
      throw invalid(`${key}: Input should be an object`);
    }
  }
  if (isObject(json.metadata)) {
    checkKeys(json.metadata, 'metadata', ['user_id']);
  }
  if (json.inference_geo !== undefined && json.inference_geo !== null && typeof json.inference_geo !== 'string') {
    throw invalid('inference_geo: Input should be a valid string');
  }
}
