import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TrainingCheck } from '../../shared/training';

/** The oldest versions the trainer is tested with (Debian's python3-torch 1.13 on Python 3.11). */
export const MIN_PYTHON: readonly [number, number] = [3, 8];
export const MIN_TORCH: readonly [number, number] = [1, 13];

export const INSTALL_LINES = {
  debian: 'sudo apt-get install python3 python3-torch python3-numpy python3-pil python3-matplotlib python3-tqdm',
  macos: 'brew install python && python3 -m pip install torch numpy pillow matplotlib tqdm',
  windows: 'winget install Python.Python.3.12 && py -m pip install torch numpy pillow matplotlib tqdm',
} as const;

/** The interpreter for the trainer: the setting, else SHM_PYTHON, else /usr/bin/python3 where it exists, else python3. */
export function resolvePython(setting?: string): string {
  if (setting) return setting;
  if (process.env.SHM_PYTHON) return process.env.SHM_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

// Prints what the trainer needs as one JSON line; never raises (a missing module is reported).
const PROBE = `
import json, sys
out = {"python": sys.version.split()[0], "missing": []}
try:
    import torch
    out["torch"] = torch.__version__
    out["cuda"] = bool(torch.cuda.is_available())
except Exception as e:
    out["torchError"] = str(e)
for name in ("numpy", "PIL"):
    try:
        __import__(name)
    except Exception:
        out["missing"].append(name)
print(json.dumps(out))
`;

interface Probe {
  python: string;
  torch?: string;
  cuda?: boolean;
  torchError?: string;
  missing: string[];
}

function versionAtLeast(version: string, min: readonly [number, number]): boolean {
  const [major, minor] = version.split(/[.+]/).map((v) => Number.parseInt(v, 10));
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

function runProbe(python: string): Promise<{ probe?: Probe; error?: string }> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { timeout: 60_000, windowsHide: true }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        try {
          resolve({ probe: JSON.parse(line) as Probe });
          return;
        } catch {
          // fall through to the error below
        }
      }
      const code = (err as NodeJS.ErrnoException | null)?.code;
      resolve({ error: code === 'ENOENT' ? 'not found' : (stderr.trim().split('\n').at(-1) ?? err?.message ?? 'no output') });
    });
  });
}

/** Whether `python` can run the trainer: Python and PyTorch present and recent enough; if not, exactly what is missing. */
export async function checkPython(python: string): Promise<TrainingCheck> {
  const fail = (message: string, extra: Partial<TrainingCheck> = {}): TrainingCheck => ({
    ok: false,
    python,
    ...extra,
    message: `${message} Install it (then restart the studio, or set the Python in Settings or SHM_PYTHON):`,
    install: { ...INSTALL_LINES },
  });
  const { probe, error } = await runProbe(python);
  if (!probe) return fail(`Python (${python}) cannot be run: ${error}.`);
  const versions = { pythonVersion: probe.python, ...(probe.torch ? { torchVersion: probe.torch } : {}) };
  if (!versionAtLeast(probe.python, MIN_PYTHON)) return fail(`Python ${probe.python} (${python}) is too old: the trainer needs ${MIN_PYTHON.join('.')} or newer.`, versions);
  if (!probe.torch) return fail(`PyTorch is not installed for ${python} (Python ${probe.python}): ${probe.torchError ?? 'import torch failed'}.`, versions);
  if (!versionAtLeast(probe.torch, MIN_TORCH)) return fail(`PyTorch ${probe.torch} (${python}) is too old: the trainer needs ${MIN_TORCH.join('.')} or newer.`, versions);
  if (probe.missing.length) return fail(`${probe.missing.join(' and ')} ${probe.missing.length > 1 ? 'are' : 'is'} not installed for ${python}.`, versions);
  return {
    ok: true,
    python,
    ...versions,
    cuda: probe.cuda ?? false,
    message: `Python ${probe.python} with PyTorch ${probe.torch} (${probe.cuda ? 'CUDA available' : 'CPU only'}).`,
  };
}

/** The check as one message: what is missing, then the install line for each system. */
export function describeCheck(check: TrainingCheck): string {
  if (!check.install) return check.message;
  return [check.message, `  Debian/Ubuntu: ${check.install.debian}`, `  macOS: ${check.install.macos}`, `  Windows: ${check.install.windows}`].join('\n');
}
