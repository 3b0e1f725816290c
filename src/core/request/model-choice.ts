/**
 * Which provider and model answer an AI cell: the settings, overridden by the notebook's
 * metadata (`aimagic.provider` / `aimagic.model`), overridden by the AI cell's own metadata
 * (`aimagic_provider` / `aimagic_model`, set from the cell toolbar).
 */

/** Cell metadata key of the provider chosen for one AI cell. */
export const CELL_PROVIDER_KEY = 'aimagic_provider';
/** Cell metadata key of the model chosen for one AI cell. */
export const CELL_MODEL_KEY = 'aimagic_model';

/** A provider and model, either possibly absent at one level. */
export interface ModelChoice {
  provider?: string;
  model?: string;
}

/**
 * The choice an AI cell's metadata makes, with what was malformed in it.
 *
 * @param metadata - The cell's metadata.
 */
export function readCellChoice(metadata: Record<string, unknown> | undefined): { choice: ModelChoice; problems: string[] } {
  const choice: ModelChoice = {};
  const problems: string[] = [];
  for (const [key, field] of [
    [CELL_PROVIDER_KEY, 'provider'],
    [CELL_MODEL_KEY, 'model']
  ] as const) {
    const value = metadata?.[key];
    if (value === undefined) {
      continue;
    }
    if (typeof value === 'string' && value.trim()) {
      choice[field] = value.trim();
    } else {
      problems.push(`Cell metadata ${key} must be a non-empty string; it is ignored.`);
    }
  }
  return { choice, problems };
}

/**
 * Resolve the levels, first to last (settings, notebook, cell). A level that switches to
 * another provider without naming a model gets that provider's default model, since a
 * model id of one provider means nothing to another. For the same reason, settings whose
 * model is another provider's default (the settings' model defaults to Claude's, and a user
 * may change only the provider) take their provider's default model.
 *
 * @param levels - The choices, the settings' first (it must name both).
 * @param defaultModel - A provider's default model.
 * @param providers - All provider ids (for the rule on the settings' model).
 */
export function resolveModelChoice(
  levels: [Required<ModelChoice>, ...ModelChoice[]],
  defaultModel: (provider: string) => string | undefined,
  providers: readonly string[] = []
): Required<ModelChoice> {
  let { provider, model } = levels[0];
  if (providers.some(other => other !== provider && defaultModel(other) === model)) {
    model = defaultModel(provider) ?? model;
  }
  for (const level of levels.slice(1)) {
    if (level.provider && level.provider !== provider) {
      provider = level.provider;
      model = level.model ?? defaultModel(provider) ?? model;
    } else if (level.model) {
      model = level.model;
    }
  }
  return { provider, model };
}
