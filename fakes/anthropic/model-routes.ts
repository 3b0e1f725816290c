/**
 * `GET /v1/models` (paged like the API: `limit`, `after_id`, `before_id`) and
 * `GET /v1/models/{id}`.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { ApiError, invalid } from './errors';
import { MODELS, findModel, modelInfo } from './models';
import { Exchange, sendJson } from './respond';

/** The page shape of `/v1/models`. */
export interface ModelPage {
  data: Anthropic.ModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * List models, newest first.
 *
 * @param ex - The exchange.
 * @param query - The query string's parameters.
 */
export function handleListModels(ex: Exchange, query: URLSearchParams): void {
  const limitText = query.get('limit') ?? '20';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000) {
    throw invalid('limit: Input should be an integer between 1 and 1000');
  }
  const ids = MODELS.map(m => m.id);
  const position = (param: string): number | undefined => {
    const id = query.get(param);
    if (id === null) {
      return undefined;
    }
    const at = ids.indexOf(id);
    if (at < 0) {
      throw invalid(`${param}: unknown model id ${id}`);
    }
    return at;
  };
  const after = position('after_id');
  const before = position('before_id');
  // before_id pages backwards: the `limit` models just before it.
  const end = before ?? MODELS.length;
  const start = before !== undefined ? Math.max(0, end - limit) : (after ?? -1) + 1;
  const slice = MODELS.slice(start, Math.min(end, start + limit));
  const page: ModelPage = {
    data: slice.map(modelInfo),
    has_more: before !== undefined ? start > 0 : start + slice.length < MODELS.length,
    first_id: slice[0]?.id ?? null,
    last_id: slice[slice.length - 1]?.id ?? null
  };
  sendJson(ex, 200, page);
}

/**
 * One model.
 *
 * @param ex - The exchange.
 * @param id - The model id from the path.
 */
export function handleGetModel(ex: Exchange, id: string): void {
  const model = findModel(id);
  if (!model) {
    throw new ApiError(404, 'not_found_error', `model: ${id}`);
  }
  sendJson(ex, 200, modelInfo(model));
}
