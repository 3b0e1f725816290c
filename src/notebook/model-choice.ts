/**
 * Choose the provider and model for one AI cell (cell toolbar) or one notebook: written to
 * the cell's metadata (`aimagic_provider` / `aimagic_model`) or the notebook's
 * (`aimagic.provider` / `aimagic.model`), which override the settings when the cell runs.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { CELL_MODEL_KEY, CELL_PROVIDER_KEY } from '../core/request/model-choice';
import { PROVIDERS } from '../core/providers/registry';
import { isAICellModel } from './executor';
import { IAIMagic } from './tokens';

/** Command ids. */
export namespace ModelChoiceCommandIDs {
  export const cell = 'aimagic:choose-cell-model';
  export const notebook = 'aimagic:choose-notebook-model';
}

/** One entry of the choice list. */
interface Option {
  label: string;
  provider?: string;
  model?: string;
}

/**
 * Add the commands.
 *
 * @param commands - The command registry.
 * @param tracker - The notebook tracker.
 * @param service - The AI Magic service (providers as the settings connect them).
 * @param trans - Translations.
 */
export function addModelChoiceCommands(commands: CommandRegistry, tracker: INotebookTracker, service: IAIMagic, trans: TranslationBundle): void {
  const activeAICell = () => {
    const cell = tracker.activeCell;
    return cell && isAICellModel(cell.model) ? cell : null;
  };

  commands.addCommand(ModelChoiceCommandIDs.cell, {
    label: args => (args.toolbar ? trans.__('Model…') : trans.__('Model for This AI Cell…')),
    caption: trans.__('Choose the provider and model that answer this AI cell (overrides the notebook and the settings)'),
    isVisible: () => !!activeAICell(),
    execute: async () => {
      const cell = activeAICell();
      if (!cell) {
        return;
      }
      const current = { provider: cell.model.getMetadata(CELL_PROVIDER_KEY) as string | undefined, model: cell.model.getMetadata(CELL_MODEL_KEY) as string | undefined };
      const picked = await Private.pick(service, trans, trans.__('Model for this AI cell'), trans.__('As the notebook and settings say'), current);
      if (picked === null) {
        return;
      }
      for (const [key, value] of [
        [CELL_PROVIDER_KEY, picked.provider],
        [CELL_MODEL_KEY, picked.model]
      ] as const) {
        if (value) {
          cell.model.setMetadata(key, value);
        } else {
          cell.model.deleteMetadata(key);
        }
      }
    }
  });

  // The toolbar button shows only on AI cells: re-evaluate when the active cell or its kind changes.
  const refresh = () => commands.notifyCommandChanged(ModelChoiceCommandIDs.cell);
  tracker.activeCellChanged.connect(refresh);
  tracker.currentChanged.connect(refresh);
  tracker.selectionChanged.connect(refresh);

  commands.addCommand(ModelChoiceCommandIDs.notebook, {
    label: trans.__('Model for This Notebook…'),
    caption: trans.__('Choose the provider and model for the AI cells of this notebook (overrides the settings)'),
    isEnabled: () => !!tracker.currentWidget?.model,
    execute: async () => {
      const model = tracker.currentWidget?.model;
      if (!model) {
        return;
      }
      const meta = { ...((model.getMetadata('aimagic') as Record<string, unknown> | undefined) ?? {}) };
      const current = { provider: meta.provider as string | undefined, model: meta.model as string | undefined };
      const picked = await Private.pick(service, trans, trans.__('Model for this notebook'), trans.__('As the settings say'), current);
      if (picked === null) {
        return;
      }
      delete meta.provider;
      delete meta.model;
      model.setMetadata('aimagic', { ...meta, ...(picked.provider ? { provider: picked.provider, model: picked.model } : {}) });
    }
  });
}

namespace Private {
  /**
   * Ask for a provider and model among what each provider lists (its default model when it
   * cannot be reached). Resolves to null when cancelled; `{}` for "inherit".
   */
  export async function pick(service: IAIMagic, trans: TranslationBundle, title: string, inherit: string, current: { provider?: string; model?: string }): Promise<{ provider?: string; model?: string } | null> {
    const options: Option[] = [{ label: inherit }];
    const unreachable: string[] = [];
    const lists = await Promise.all(
      Object.values(PROVIDERS).map(async info => {
        try {
          const provider = await service.provider(info.id);
          return { info, models: await withTimeout(provider.listModels(), 10000) };
        } catch {
          unreachable.push(info.label);
          return { info, models: info.defaultModel ? [info.defaultModel] : [] };
        }
      })
    );
    for (const { info, models } of lists) {
      for (const model of models) {
        options.push({ label: `${info.label} · ${model}`, provider: info.id, model });
      }
    }
    if (current.provider && !options.some(o => o.provider === current.provider && o.model === current.model)) {
      options.splice(1, 0, { label: `${current.provider} · ${current.model ?? ''}`, provider: current.provider, model: current.model });
    }
    const index = Math.max(0, options.findIndex(o => o.provider === current.provider && o.model === current.model));
    const result = await InputDialog.getItem({ title, items: options.map(o => o.label), current: current.provider ? index : 0 });
    if (unreachable.length) {
      Notification.info(trans.__('Could not list the models of %1; their default model is offered.', unreachable.join(', ')), { autoClose: 5000 });
    }
    if (!result.button.accept || result.value === null) {
      return null;
    }
    const chosen = options.find(o => o.label === result.value) ?? options[0];
    return chosen.provider ? { provider: chosen.provider, model: chosen.model } : {};
  }

  /** Reject when a promise takes longer than `ms`. */
  export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);
  }
}
