import { executionProviders } from '../shared/vocabulary';
import { defaultRefinementMethod, refinementMethodIds } from '../engine/matting/alpha/methods';
import { DEFAULT_SEMANTIC_MODEL } from '../engine/models/defaults';

/** "a (default) | b | c": the list, with the default marked. */
const choices = (list: readonly string[], fallback: string) => list.map((v) => (v === fallback ? `${v} (default)` : v)).join(' | ');

export const USAGE = `Usage: shm-studio <command> [options]

Commands:
  matte <files or folders...> --out <dir>   Cut out the people in images: writes <out>/<relative path>/<stem>.png (RGBA)
      --trimaps <dir>          use <dir>/<stem>.png as the trimap (0 background, 255 foreground, else unknown)
                               instead of the automatic one
      --refine <method>        ${choices(refinementMethodIds, defaultRefinementMethod)} | <matting model id>
      --model <id>             semantic model for the automatic trimap (default ${DEFAULT_SEMANTIC_MODEL});
                               an SHM T-Net (role trimap) with --refine <its M-Net> takes the paper's path:
                               T-Net trimap → M-Net → alpha = Fs + Us·alpha_r (see README, training)
      --ep <provider>          ${choices(executionProviders, 'auto')}
      --alpha-dir <dir>        also write the grey alpha as <dir>/<relative path>/<stem>.png
      --band-scale <x>         widen (> 1) or narrow (< 1) the automatic trimap's unknown band (default 1)
      --keep-all               keep every person in the automatic trimap, not only the main subject
      --faces <detector>       find faces first (face-short-range or face-full-range): they frame the
                               person crop and keep the regions that hold them (off by default)
      --debug-dir <dir>        write the automatic trimap's parts as PNGs under <dir>/<relative path>/:
                               probability, views and crops, selection, band, trimap
      --max-megapixels <n>     skip inputs larger than n megapixels (default 100; at most 268,
                               the largest image the decoder reads)
      --no-decontaminate       keep the original colours at the edges
      --concurrency <n>        images in flight (default: cores + 1; large photos run fewer
                               at a time, within 30 % of the memory)
      --json                   print a machine-readable summary on stdout
      --shard <K/N>            process only slice K of N (K from 0): a stable, disjoint split by a
                               hash of each input's relative path, for N machines or processes
      --resume                 skip inputs an earlier run into the same --out finished (listed in
                               <out>/.shm-studio-manifest/, or already written)
  eval --pred <dir> --gt <dir> [--trimaps <dir>] [--json]
                               SAD, MSE, gradient and connectivity per image and the mean
                               (over the trimap's unknown region when --trimaps is given)
  models [--ep <provider>] [--json]
                               list models, roles and licences, and the execution provider in use

Exit status: 0 when every image succeeded, 1 when any failed, 2 on a usage error.
`;
