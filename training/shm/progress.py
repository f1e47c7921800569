"""Progress for programs (JSON lines on stdout), for people (a bar on a terminal) and a PNG chart."""
import json
import math
import os
import sys
import time


class Progress:
    def __init__(self, enabled=True, stream=None, bar=None):
        self.enabled = enabled
        self.stream = stream or sys.stdout
        self.bar_wanted = enabled and (sys.stderr.isatty() if bar is None else bar)
        self.bar = None
        self.history = []

    def emit(self, event, **fields):
        record = {'event': event, 'time': round(time.time(), 3), **fields}
        if event in ('step', 'validation'):
            self.history.append(record)
        if self.enabled:
            self.stream.write(json.dumps(record) + '\n')
            self.stream.flush()
        return record

    def start_epoch(self, epoch, steps):
        if self.bar_wanted:
            from tqdm import tqdm

            self.bar = tqdm(total=steps, desc=f'epoch {epoch}', file=sys.stderr, leave=False)

    def step(self, **fields):
        if self.bar:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{fields['loss']:.4f}", ips=f"{fields['images_per_s']:.1f}")
        self.emit('step', **fields)

    def end_epoch(self):
        if self.bar:
            self.bar.close()
            self.bar = None

    def chart(self, path):
        """Loss per step and validation SAD / trimap accuracy per epoch, written atomically."""
        if not self.enabled or not self.history:
            return None
        import matplotlib

        matplotlib.use('Agg')
        import matplotlib.pyplot as plt

        steps = [r for r in self.history if r['event'] == 'step']
        vals = [r for r in self.history if r['event'] == 'validation']
        fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
        a.plot([r['global_step'] for r in steps], [r['loss'] for r in steps], lw=1)
        a.set(title='training loss', xlabel='step', yscale='log' if all(r['loss'] > 0 for r in steps) else 'linear')
        if vals:
            b.plot([r['epoch'] for r in vals], [r['sad'] for r in vals], 'o-', label='SAD (/1000)')
            b2 = b.twinx()
            b2.plot([r['epoch'] for r in vals], [r['trimap_accuracy'] for r in vals], 's--', color='tab:orange', label='trimap accuracy')
            b2.set_ylim(0, 1)
            b.legend(loc='upper left')
            b2.legend(loc='upper right')
        b.set(title='validation', xlabel='epoch')
        fig.tight_layout()
        tmp = f'{path}.{os.getpid()}.tmp.png'
        fig.savefig(tmp, dpi=80)
        plt.close(fig)
        os.replace(tmp, path)
        return path


def eta(seconds_per_step, remaining_steps):
    return None if not math.isfinite(seconds_per_step) else round(seconds_per_step * remaining_steps, 1)
