import { parseArgs } from 'node:util';
import { executionProviders, isExecutionProvider } from '../shared/vocabulary';
import { UsageError } from './errors';
import type { CliIo } from './io';

export async function modelsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { ep: { type: 'string', default: 'auto' }, json: { type: 'boolean', default: false } } });
  if (!isExecutionProvider(values.ep)) throw new UsageError(`--ep must be one of ${executionProviders.join(', ')}`);
  const { listModels } = await import('../engine/models/registry');
  const models = listModels().map((m) => ({ id: m.manifest.id, role: m.manifest.role, license: m.manifest.license.name, present: m.present }));
  let provider: unknown;
  let providerError: string | undefined;
  const { InferenceService } = await import('../engine/inference/service');
  const service = new InferenceService({ provider: values.ep });
  try {
    provider = await service.providerReport();
  } catch (err) {
    providerError = err instanceof Error ? err.message : String(err);
  } finally {
    await service.close();
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ models, provider: provider ?? null, providerError }, null, 2)}\n`);
  } else {
    const w = Math.max(4, ...models.map((m) => m.id.length));
    io.stdout.write(`${'id'.padEnd(w)}  ${'role'.padEnd(10)}  ${'licence'.padEnd(14)}  prepared\n`);
    for (const m of models) io.stdout.write(`${m.id.padEnd(w)}  ${m.role.padEnd(10)}  ${m.license.padEnd(14)}  ${m.present ? 'yes' : 'no (run npm run models)'}\n`);
    const report = provider as { active?: string; tried?: { provider: string; ok?: boolean; reason?: string }[] } | undefined;
    if (report?.active) {
      io.stdout.write(`execution provider: ${report.active} (requested ${values.ep})\n`);
      for (const t of report.tried ?? []) if (t.reason) io.stdout.write(`  ${t.provider}: ${t.reason}\n`);
    } else io.stdout.write(`execution provider: unavailable: ${providerError}\n`);
  }
  return providerError ? 1 : 0;
}
