/**
 * frames.ts imports nothing from JupyterLab: its browser globals are stood in for here, so the
 * hidden-page fallbacks (no animation frames at all) are checked in plain Node.
 */
import { afterPaint, nextFrame, timed } from './frames';

describe('frames', () => {
  const g = globalThis as any;
  let frames: Array<() => void>;
  beforeEach(() => {
    frames = [];
    g.document = { hidden: false };
    g.requestAnimationFrame = (callback: () => void) => frames.push(callback);
  });
  afterEach(() => {
    delete g.document;
    delete g.requestAnimationFrame;
  });

  it('waits for the next animation frame in a visible page', async () => {
    let done = false;
    const waiting = nextFrame().then(() => (done = true));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(done).toBe(false);
    frames.forEach(f => f());
    await waiting;
    expect(done).toBe(true);
  });

  it('does not wait for frames in a hidden page, which runs none', async () => {
    g.document.hidden = true;
    const started = Date.now();
    await afterPaint();
    expect(frames).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('goes on when a page hidden while waiting runs no more frames', async () => {
    const started = Date.now();
    await nextFrame();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('settles after the frame in a task of its own', async () => {
    const order: string[] = [];
    const waiting = afterPaint().then(() => order.push('after'));
    frames.forEach(f => f());
    order.push('frame');
    await Promise.resolve();
    expect(order).toEqual(['frame']);
    await waiting;
    expect(order).toEqual(['frame', 'after']);
  });

  it('records a step as a measure named aimagic:NAME, also when it throws', () => {
    performance.clearMeasures();
    expect(timed('step', () => 42)).toBe(42);
    expect(() => timed('failing', () => { throw new Error('no'); })).toThrow('no');
    expect(performance.getEntriesByType('measure').map(m => m.name)).toEqual(['aimagic:step', 'aimagic:failing']);
  });
});
