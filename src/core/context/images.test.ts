import { base64Bytes, fitWithin, imageLimits, imageOf, imageParts } from './images';
import { OutputJSON } from '../nbformat';

const PNG = 'iVBORw0KGgo=';
const JPEG = '/9j/4AAQ';

describe('imageOf', () => {
  it.each<[string, OutputJSON, ReturnType<typeof imageOf>]>([
    ['png display', { output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': '<Figure>' } }, { mediaType: 'image/png', data: PNG }],
    ['line breaks removed', { output_type: 'display_data', data: { 'image/png': 'iVBO\nRw0K\nGgo=\n' } }, { mediaType: 'image/png', data: PNG }],
    ['list of lines joined', { output_type: 'execute_result', data: { 'image/jpeg': ['/9j/\n', '4AAQ'] } }, { mediaType: 'image/jpeg', data: JPEG }],
    ['png preferred over jpeg', { output_type: 'display_data', data: { 'image/jpeg': JPEG, 'image/png': PNG } }, { mediaType: 'image/png', data: PNG }],
    ['svg is not sent as an image', { output_type: 'display_data', data: { 'image/svg+xml': '<svg/>' } }, null],
    ['streams have no images', { output_type: 'stream', name: 'stdout', text: 'x' }, null],
    ['empty data', { output_type: 'display_data', data: { 'image/png': '' } }, null]
  ])('%s', (_name, output, expected) => {
    expect(imageOf(output)).toEqual(expected);
  });
});

describe('imageParts', () => {
  it('keeps output order and names the cell', () => {
    const outputs: OutputJSON[] = [
      { output_type: 'display_data', data: { 'image/jpeg': JPEG } },
      { output_type: 'stream', name: 'stdout', text: 'between' },
      { output_type: 'display_data', data: { 'image/png': PNG } }
    ];
    expect(imageParts(outputs, 'c1')).toEqual([
      { type: 'image', mediaType: 'image/jpeg', data: JPEG, cellId: 'c1' },
      { type: 'image', mediaType: 'image/png', data: PNG, cellId: 'c1' }
    ]);
  });
});

describe('fitWithin', () => {
  it.each([
    [800, 600, 1568, 800, 600, false],
    [3136, 1000, 1568, 1568, 500, true],
    [1000, 4000, 1568, 392, 1568, true],
    [1568, 1568, 1568, 1568, 1568, false],
    [10000, 1, 1568, 1568, 1, true]
  ])('%i x %i within %i -> %i x %i', (w, h, max, ew, eh, scaled) => {
    expect(fitWithin(w, h, max)).toEqual({ width: ew, height: eh, scaled });
  });
});

describe('base64Bytes and limits', () => {
  it.each([
    ['', 0],
    ['QQ==', 1],
    ['QUI=', 2],
    ['QUJD', 3]
  ])('%j is %i bytes', (data, n) => {
    expect(base64Bytes(data)).toBe(n);
  });
  it('knows Anthropic and falls back for others', () => {
    expect(imageLimits('anthropic')).toEqual({ maxEdge: 1568, maxBytes: 5242880 });
    expect(imageLimits('somewhere').maxEdge).toBe(1568);
  });
});
