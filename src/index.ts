/**
 * AI Magic for JupyterLab: the list of plugins, one per concern.
 */
import { cellsPlugin } from './plugins/cells';
import { commandsPlugin } from './plugins/commands';
import { docsPlugin } from './plugins/docs';
import { dialoguePlugin } from './plugins/dialogue';
import { executorPlugin } from './plugins/executor';
import { modelChoicePlugin } from './plugins/model-choice';
import { remoteImagesPlugin } from './plugins/remote-images';
import { settingsPlugin } from './plugins/settings';

export default [settingsPlugin, executorPlugin, commandsPlugin, cellsPlugin, dialoguePlugin, docsPlugin, modelChoicePlugin, remoteImagesPlugin];
