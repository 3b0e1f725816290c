/**
 * Play the scripted dialogue against the fake Anthropic server through the real core
 * (preparePrompt) and the real AnthropicProvider, with this project's cache marks or with
 * none, and measure what the fake's cache accounting reports.
 */
import { startFakeAnthropic } from '../../fakes/anthropic/server';
import { joinAICell } from '../../src/core/context/aicell';
import { preparePrompt } from '../../src/core/request/assemble';
import { CellJSON, NotebookJSON } from '../../src/core/nbformat';
import { estimateCost } from '../../src/core/reply/pricing';
import { AnthropicProvider } from '../../src/core/providers/anthropic';
import { streamReply } from '../../src/core/reply/reply';
import { AISettings, DEFAULT_SETTINGS } from '../../src/core/settings';
import { ChatRequest, Usage } from '../../src/core/types';
import { benchDocs, benchSteps } from './script';

/** What one run measured. */
export interface RunResult {
  /** Usage of each prompt, in order. */
  usages: Usage[];
  /** Cache reads over all input tokens of prompts 2–20. */
  readShare: number;
  /** Total cost in USD. */
  cost: number;
  /** Input tokens of all prompts (cached or not). */
  inputTokens: number;
}

/** A request with every cache mark removed. */
export function withoutMarks(request: ChatRequest): ChatRequest {
  return {
    ...request,
    systemCache: undefined,
    docs: request.docs.map(({ cache: _c, ...d }) => d),
    turns: request.turns.map(t => ({ role: t.role, parts: t.parts.map(({ cache: _c, ...p }) => p) }))
  };
}

/**
 * Play the dialogue once.
 *
 * @param marked - Send this project's cache marks (else none).
 * @param settings - Settings (model, docs TTL).
 */
export async function playDialogue(marked: boolean, settings: AISettings = DEFAULT_SETTINGS): Promise<RunResult> {
  const fake = await startFakeAnthropic({ deltaDelayMs: 0, wordsPerDelta: 50 });
  try {
    const provider = new AnthropicProvider({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    const docs = benchDocs();
    const nb: NotebookJSON = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const usages: Usage[] = [];
    for (const [k, step] of benchSteps().entries()) {
      nb.cells.push(...step.cells);
      const cell: CellJSON = { cell_type: 'markdown', id: `prompt-${k + 1}`, source: step.prompt, metadata: { solveit_ai: true } };
      nb.cells.push(cell);
      const prepared = preparePrompt(nb, nb.cells.length - 1, { settings, docs });
      const request = marked ? prepared.request : withoutMarks(prepared.request);
      fake.queueReplies(step.reply);
      const result = await streamReply(provider, request);
      if (result.error) {
        throw new Error(`prompt ${k + 1} failed: ${result.error.message}`);
      }
      cell.source = joinAICell(step.prompt, result.text);
      usages.push(result.usage);
    }
    const total = (u: Usage) => u.input + u.cacheRead + u.cacheWrite;
    const later = usages.slice(1);
    const read = later.reduce((s, u) => s + u.cacheRead, 0);
    const input = later.reduce((s, u) => s + total(u), 0);
    const cost = usages.reduce((s, u) => s + (estimateCost(settings.model, u) ?? NaN), 0);
    return { usages, readShare: read / input, cost, inputTokens: usages.reduce((s, u) => s + total(u), 0) };
  } finally {
    await fake.close();
  }
}
