import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'shm-studio';

/**
 * `<repo>/models`, found by walking up from this module to the project's package.json. Works from
 * source (src/engine/models/) and from the flat bundle (out/main/); SHM_MODELS_DIR overrides.
 */
export function defaultModelsDir(): string {
  const override = process.env.SHM_MODELS_DIR;
  if (override) return resolve(override);
  return join(packageRoot(), 'models');
}

/** The package's root folder (where models/ and training/ are), found from this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}; set SHM_MODELS_DIR`);
    dir = parent;
  }
}
