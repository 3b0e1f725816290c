/**
 * `/v1/models` through the SDK: the catalogue, paging, and lookups.
 */
import Anthropic, { NotFoundError } from '@anthropic-ai/sdk';
import { MODELS } from './models';
import { FakeAnthropic, startFakeAnthropic } from './server';
import { expectApiError, rawRequest, sdkClient } from './testing';

let fake: FakeAnthropic;
let client: Anthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
  client = sdkClient(fake);
});
afterAll(() => fake.close());

/** Ids of the SDK's `Model` type the fake must know (a compile-time check that they are ids). */
const SDK_IDS: Anthropic.Model[] = [
  'claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5', 'claude-sonnet-4-6', 'claude-opus-4-8',
  'claude-fable-5', 'claude-haiku-4-5', 'claude-mythos-5-2', 'claude-opus-4-5-20251101'
];

describe('models', () => {
  it.each([1, 5, 20, 1000])('lists every model, newest first, across pages of %i', async limit => {
    const ids: string[] = [];
    for await (const model of client.models.list({ limit })) {
      ids.push(model.id);
    }
    expect(ids).toEqual(MODELS.map(m => m.id));
    expect(ids).toEqual(expect.arrayContaining(SDK_IDS));
    const dates = MODELS.map(m => m.createdAt);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('pages with the documented shape', async () => {
    const answer = await rawRequest(fake, '/v1/models?limit=2');
    expect(answer.body).toEqual({
      data: [expect.objectContaining({ type: 'model', id: MODELS[0].id }), expect.objectContaining({ id: MODELS[1].id })],
      has_more: true,
      first_id: MODELS[0].id,
      last_id: MODELS[1].id
    });
    const back = await rawRequest(fake, `/v1/models?limit=2&before_id=${MODELS[3].id}`);
    expect(back.body).toMatchObject({ first_id: MODELS[1].id, last_id: MODELS[2].id, has_more: true });
  });

  it.each(SDK_IDS)('retrieves %s', async id => {
    const model = await client.models.retrieve(id);
    expect(model).toMatchObject({ type: 'model', id, display_name: expect.stringMatching(/^Claude /), created_at: expect.any(String) });
  });

  it.each<[string, string]>([
    ['an unknown model', '/v1/models/claude-nonesuch'],
    ['a nested path', '/v1/models/claude-haiku-4-5/extra']
  ])('404s %s', async (_name, path) => {
    expectApiError(await rawRequest(fake, path), 404, 'not_found_error');
    await expect(client.models.retrieve('claude-nonesuch')).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(['0', '1001', 'ten'])('refuses limit=%s', async limit => {
    expectApiError(await rawRequest(fake, `/v1/models?limit=${limit}`), 400, 'invalid_request_error');
  });
});
