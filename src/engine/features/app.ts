import os from 'node:os';
import { createRequire } from 'node:module';
import type { AppInfo } from '../../shared/contract';
import type { FeatureHandlers, StudioContext } from './context';

const requireHere = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (requireHere(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** src/engine/features/ sits three levels below the package root, the bundled out/main/ two. */
function appVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = requireHere(rel) as { name?: string; version: string };
      if (pkg.name === 'shm-studio') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** `app.info`: versions, platform, the inference backends and image formats this engine has. */
export function setupApp(ctx: StudioContext, shell: AppInfo['shell']): FeatureHandlers<'app.info'> {
  return {
    'app.info': async () => {
      const ort = await import('onnxruntime-node');
      const sharp = (await import('sharp')).default;
      const session = ctx.session;
      return {
        name: 'SHM Studio',
        version: appVersion(),
        shell,
        engine: {
          node: process.versions.node,
          platform: process.platform,
          arch: process.arch,
          cpus: os.availableParallelism(),
          onnxruntime: { version: packageVersion('onnxruntime-node'), backends: ort.listSupportedBackends() },
          sharp: {
            version: sharp.versions.sharp ?? packageVersion('sharp'),
            inputFormats: Object.values(sharp.format).filter((f) => f.input.file).map((f) => f.id).sort(),
          },
        },
        project: session ? ctx.summary(session.project) : null,
      };
    },
  };
}
