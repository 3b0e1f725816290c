/**
 * Small checks on parsed JSON whose errors name the JSON path, as the API's own do
 * (`messages.0.content.1.text: Field required`).
 */
import { invalid } from './errors';

/** A JSON object. */
export type Json = Record<string, unknown>;

/**
 * Whether a value is a JSON object (not null, not an array).
 *
 * @param value - The value.
 */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A child's JSON path; top-level fields (owner path '') are named bare, as the API does.
 *
 * @param path - The owner's path.
 * @param key - The child's key or index.
 */
export function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

/**
 * Reject keys outside `allowed` with the API's wording for extra inputs.
 *
 * @param obj - The object.
 * @param path - Its JSON path.
 * @param allowed - Accepted keys.
 */
export function checkKeys(obj: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw invalid(`${join(path, key)}: Extra inputs are not permitted`);
    }
  }
}

/**
 * An object, or a 400.
 *
 * @param value - The value.
 * @param path - Its JSON path.
 */
export function requireObject(value: unknown, path: string): Json {
  if (!isObject(value)) {
    throw invalid(`${path || 'body'}: Input should be an object`);
  }
  return value;
}

/**
 * A string field, or a 400.
 *
 * @param obj - The owner.
 * @param key - The field.
 * @param path - The owner's JSON path.
 */
export function requireString(obj: Json, key: string, path: string): string {
  const value = obj[key];
  if (value === undefined) {
    throw invalid(`${join(path, key)}: Field required`);
  }
  if (typeof value !== 'string') {
    throw invalid(`${join(path, key)}: Input should be a valid string`);
  }
  return value;
}
