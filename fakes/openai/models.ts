/**
 * The models the fake serves on `/v1/models`. Reasoning models refuse `max_tokens`, as
 * OpenAI's do; the fake's cache and token rules are the same for all.
 */

/** One model. */
export interface FakeModel {
  id: string;
  /** A reasoning model: `max_completion_tokens` only. */
  reasoning: boolean;
  created: number;
}

/** Models, newest first. */
export const MODELS: readonly FakeModel[] = [
  { id: 'gpt-5.1', reasoning: true, created: 1762800000 },
  { id: 'gpt-5.1-mini', reasoning: true, created: 1762800000 },
  { id: 'gpt-5-nano', reasoning: true, created: 1754400000 },
  { id: 'gpt-4.1', reasoning: false, created: 1744300000 },
  { id: 'gpt-4.1-mini', reasoning: false, created: 1744300000 },
  { id: 'gpt-4o-mini', reasoning: false, created: 1721100000 }
];
