// tfjs's gradient definitions without the @tensorflow/tfjs umbrella package: tfjs-core ships them only as
// ES modules with directory imports, which Node's loader refuses, so they are bundled once with esbuild
// into build/tfjs-gradients.mjs and imported. The bundle carries its own copy of the core ops; tfjs keeps
// its engine and its kernel and gradient registries on the global object, so the copies share them.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const BUNDLE = fileURLToPath(new URL('../../build/tfjs-gradients.mjs', import.meta.url));

let registered: Promise<unknown> | undefined;

/** Register every gradient of tfjs-core (tf.grad, tf.variableGrads need them); once per process. */
export function registerTfjsGradients(): Promise<unknown> {
  registered ??= (async () => {
    if (!existsSync(BUNDLE)) {
      const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
      await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: BUNDLE, logLevel: 'silent' });
    }
    return import(pathToFileURL(BUNDLE).href);
  })();
  return registered;
}
