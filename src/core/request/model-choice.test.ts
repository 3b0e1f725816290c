/**
 * Settings, notebook and cell choices of provider and model, the later overriding the earlier.
 */
import { readCellChoice, resolveModelChoice } from './model-choice';

const defaults: Record<string, string> = { anthropic: 'claude-sonnet-5-5', openai: 'gpt-5.1', local: 'smollm2-135m-instruct' };
const settings = { provider: 'anthropic', model: 'claude-opus-4-8' };

describe('resolveModelChoice', () => {
  it.each([
    ['settings alone', [], settings],
    ['notebook picks a model', [{ model: 'claude-haiku-4-5' }], { provider: 'anthropic', model: 'claude-haiku-4-5' }],
    ['notebook switches provider: its default model', [{ provider: 'local' }], { provider: 'local', model: 'smollm2-135m-instruct' }],
    ['notebook switches provider and model', [{ provider: 'openai', model: 'gpt-4.1' }], { provider: 'openai', model: 'gpt-4.1' }],
    ['cell overrides the notebook', [{ provider: 'local' }, { provider: 'openai' }], { provider: 'openai', model: 'gpt-5.1' }],
    ['cell picks a model of the notebook provider', [{ provider: 'openai', model: 'gpt-4.1' }, { model: 'gpt-5.1-mini' }], { provider: 'openai', model: 'gpt-5.1-mini' }],
    ['cell names the same provider: the model stays', [{ model: 'claude-haiku-4-5' }, { provider: 'anthropic' }], { provider: 'anthropic', model: 'claude-haiku-4-5' }]
  ])('%s', (_name, levels, expected) => {
    expect(resolveModelChoice([settings, ...levels], p => defaults[p], Object.keys(defaults))).toEqual(expected);
  });

  it.each([
    ['settings switched to OpenAI, model left at the Claude default', { provider: 'openai', model: 'claude-sonnet-5-5' }, 'gpt-5.1'],
    ['settings switched to OpenAI with a model of their own', { provider: 'openai', model: 'gpt-4.1' }, 'gpt-4.1'],
    ['settings on Anthropic with its default', { provider: 'anthropic', model: 'claude-sonnet-5-5' }, 'claude-sonnet-5-5']
  ])('%s', (_name, base, model) => {
    expect(resolveModelChoice([base], p => defaults[p], Object.keys(defaults)).model).toBe(model);
  });
});

describe('readCellChoice', () => {
  it.each([
    [{}, {}, 0],
    [{ aimagic_provider: 'local', aimagic_model: ' smollm2 ' }, { provider: 'local', model: 'smollm2' }, 0],
    [{ aimagic_provider: 3, aimagic_model: '' }, {}, 2]
  ])('%j', (metadata, choice, problems) => {
    const read = readCellChoice(metadata);
    expect(read.choice).toEqual(choice);
    expect(read.problems).toHaveLength(problems);
  });
});
