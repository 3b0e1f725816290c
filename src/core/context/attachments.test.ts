/**
 * Pasted images (a markdown cell's `attachments`, referenced as `attachment:<id>`) go to the
 * model as images, after the text of their note or prompt.
 */
import { buildDialogue } from './dialogue';
import { referencedAttachments } from './images';
import { ai, note, notebook } from '../testing/notebooks';
import { CellJSON } from '../nbformat';
import { Turn } from '../types';

const PNG = 'iVBORw0KGgo=';
const JPEG = '/9j/4AAQ';
// SolveIt names an attachment by a uuid; JupyterLab by the file name.
const UUID = '0b6e4a4e-5f7a-4d38-9a57-3c1f2e9d8b10';

/** A markdown cell with attachments. */
function withAttachments(cell: CellJSON, attachments: Record<string, Record<string, string>>): CellJSON {
  return { ...cell, attachments };
}

/** Turns as [role, parts] with images as their data, for readable expectations. */
function flat(turns: Turn[]): [string, string[]][] {
  return turns.map(t => [t.role, t.parts.map(p => (p.type === 'text' ? p.text : `${p.mediaType} ${p.data}`))]);
}

describe('referencedAttachments', () => {
  const cell = { attachments: { 'image.png': {}, 'my plot.png': {}, [UUID]: {} } };
  it.each<[string, string, string[]]>([
    ['a Markdown image', '![image.png](attachment:image.png)', ['image.png']],
    ["SolveIt's uuid", `![](attachment:${UUID})`, [UUID]],
    ['an HTML img', '<img src="attachment:image.png" width=200>', ['image.png']],
    ['a URL-encoded name', '![p](attachment:my%20plot.png)', ['my plot.png']],
    ['each once, in order of reference', `![](attachment:${UUID}) ![](attachment:image.png) ![](attachment:${UUID})`, [UUID, 'image.png']],
    ['an unknown id is left out', '![](attachment:gone.png)', []],
    ['text without references', 'see the image', []]
  ])('%s', (_name, text, ids) => {
    expect(referencedAttachments(cell, text)).toEqual(ids);
  });
});

describe('attachments in the dialogue', () => {
  const opts = { maxOutputChars: 1000, budgetTokens: 0, images: true };
  it.each<[string, ReturnType<typeof notebook>, [string, string[]][]]>([
    [
      'a note sends its pasted image after its text',
      notebook(withAttachments(note('n', `Look:\n![](attachment:${UUID})`), { [UUID]: { 'image/png': PNG } }), ai('p', 'What is it?')),
      [['user', [`<cell id="n" type="markdown">\nLook:\n![](attachment:${UUID})\n</cell>`, `image/png ${PNG}`, 'What is it?']]]
    ],
    [
      'the prompt being sent carries its own image',
      notebook(withAttachments(ai('p', 'Explain ![](attachment:a.jpg)'), { 'a.jpg': { 'image/jpeg': JPEG } })),
      [['user', ['Explain ![](attachment:a.jpg)', `image/jpeg ${JPEG}`]]]
    ],
    [
      "an earlier prompt's image stays in its turn",
      notebook(withAttachments(ai('p1', '![](attachment:a.png) what?', 'A cat.'), { 'a.png': { 'image/png': PNG } }), ai('p2', 'And now?')),
      [['user', ['![](attachment:a.png) what?', `image/png ${PNG}`]], ['assistant', ['A cat.']], ['user', ['And now?']]]
    ],
    [
      'an attachment nothing refers to is not sent',
      notebook(withAttachments(note('n', 'No image here'), { 'a.png': { 'image/png': PNG } }), ai('p', 'Q')),
      [['user', ['<cell id="n" type="markdown">\nNo image here\n</cell>\n\nQ']]]
    ],
    [
      'a reply that names an attachment does not send it',
      notebook(withAttachments(ai('p1', 'Q1', '![](attachment:a.png)'), { 'a.png': { 'image/png': PNG } }), ai('p2', 'Q2')),
      [['user', ['Q1']], ['assistant', ['![](attachment:a.png)']], ['user', ['Q2']]]
    ],
    [
      'other image types stay text',
      notebook(withAttachments(note('n', '![](attachment:a.gif)'), { 'a.gif': { 'image/gif': 'R0lG' } }), ai('p', 'Q')),
      [['user', ['<cell id="n" type="markdown">\n![](attachment:a.gif)\n</cell>\n\nQ']]]
    ]
  ])('%s', (_name, nb, expected) => {
    expect(flat(buildDialogue(nb, nb.cells.length - 1, opts).turns)).toEqual(expected);
  });

  it('sends none when images are off', () => {
    const nb = notebook(withAttachments(note('n', '![](attachment:a.png)'), { 'a.png': { 'image/png': PNG } }), ai('p', 'Q'));
    const parts = buildDialogue(nb, 1, { ...opts, images: false }).turns[0].parts;
    expect(parts.map(p => p.type)).toEqual(['text']);
  });
});
