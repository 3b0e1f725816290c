/**
 * Launch a fake provider server with no build step: its TypeScript files are transpiled on
 * load with the `typescript` package's `transpileModule` (no type check: `tsc --noEmit -p
 * fakes/<name>` does that), then its `cli.ts`'s `main` runs. Each fake's `run.js` calls this.
 *
 * Transpiled output is cached by content hash in `node_modules/.cache/<name>` (beside the
 * `typescript` it came from, not in a shared temp directory whose files anyone could plant),
 * so `typescript`, slow to load, is only loaded after a change.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

let ts;

/** CommonJS for a TypeScript source, from the cache or freshly transpiled. */
function compile(source, filename, cacheDir) {
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  ts = ts || require('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      inlineSourceMap: true
    }
  });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Write then rename, so a concurrent start never reads half a file.
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
  } catch {
    // A cache that cannot be written only costs time.
  }
  return outputText;
}

/**
 * Run a fake server's `cli.ts` `main` from its folder.
 *
 * @param here - The fake's folder; only TypeScript files directly in it are loaded.
 * @param name - The fake's name, for the cache folder and error messages.
 */
function runFake(here, name) {
  const cacheDir = path.join(path.dirname(require.resolve('typescript/package.json')), '..', '.cache', name);
  require.extensions['.ts'] = (module, filename) => {
    // Only the fake's own sources: anything else ending in .ts is not ours to compile.
    if (path.dirname(filename) !== here) {
      throw new Error(`${name} only loads TypeScript from ${here}, not ${filename}`);
    }
    module._compile(compile(fs.readFileSync(filename, 'utf8'), filename, cacheDir), filename);
  };
  require(path.join(here, 'cli.ts'))
    .main()
    .catch(err => {
      console.error(`${name}:`, err);
      process.exit(1);
    });
}

module.exports = { runFake };
