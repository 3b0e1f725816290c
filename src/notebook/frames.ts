/**
 * Waiting for the page: work split over frames keeps each frame short, so the page never
 * blocks long even when a reply ends with several big changes.
 *
 * A hidden page (another browser tab) runs no animation frames; waiting for one there would
 * hold a reply back until the user looks again, so these fall back to a timer.
 */

/** Settles at the next animation frame (or soon, in a hidden page). */
export function nextFrame(): Promise<void> {
  return new Promise(resolve => {
    if (document.hidden) {
      setTimeout(resolve, 0);
      return;
    }
    // Also after a while: a page hidden while waiting runs no more frames.
    const timer = setTimeout(resolve, 250);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Settles in a task of its own after the next frame was drawn: what the caller changed
 * before was styled, laid out and painted by then, in that frame's own task.
 */
export async function afterPaint(): Promise<void> {
  await nextFrame();
  await new Promise(resolve => setTimeout(resolve, 0));
}

/**
 * Run a step and record its time as a `performance.measure` named `aimagic:NAME` (the
 * Performance panel's Timings; bench/stream reads them).
 *
 * @param name - The step's name.
 * @param step - The work.
 */
export function timed<T>(name: string, step: () => T): T {
  const start = performance.now();
  try {
    return step();
  } finally {
    performance.measure(`aimagic:${name}`, { start, end: performance.now() });
  }
}
