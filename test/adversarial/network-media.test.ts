/**
 * Media routes of the built browser-mode server against files planted in an open project's
 * cache: a symbolic link in place of a cached file or folder, or a FIFO, is never followed or
 * opened; the route answers 404 at once and serves nothing from outside the cache. Originals
 * are served only when they are regular files.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttp } from '../helpers/raw-peer';
import { writeTestImage } from '../helpers/images';
import { settle, startWebTarget, type WebTarget } from '../helpers/web-target';

const SECRET = 'secret-outside-the-project';
let target: WebTarget;
let projectDir: string;
let outside: string;
let imageId: number;
let original: string;

async function media(ref: string): Promise<{ status: number | null; body: string }> {
  const reply = await rawHttp(target.port, `GET /media/${ref} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nCookie: shm_token=${target.token}\r\nConnection: close\r\n\r\n`, 4000, 4000);
  return { status: reply.status, body: reply.text };
}

beforeAll(async () => {
  target = await startWebTarget('media');
  projectDir = path.join(target.root, 'project');
  outside = path.join(target.root, 'outside');
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'secret.txt'), SECRET);
  original = await writeTestImage(path.join(target.root, 'photos', 'a.png'));
  await target.call('project.create', { path: projectDir });
  await target.call('images.import', { paths: [path.dirname(original)] });
  const deadline = Date.now() + 60_000;
  let images: { id: number }[] = [];
  while (images.length === 0 && Date.now() < deadline) {
    images = ((await target.call('images.list', {})) as { images: { id: number }[] }).images;
    if (images.length === 0) await settle(100);
  }
  imageId = images[0].id;
  expect((await media(`thumb/${imageId}`)).status).toBe(200);
});
afterAll(async () => {
  await target?.stop();
});

/** Runs a planted-file case and reports what the route answered and whether the server lives. */
async function judge(label: string, ref: string): Promise<{ status: number | null; leaked: boolean; health: string | null }> {
  const started = Date.now();
  const { status, body } = await media(ref);
  const leaked = body.includes(SECRET);
  const health = await target.health();
  console.log(`[network media] ${label}: ${status ? `answered ${status}` : 'no answer'} in ${Date.now() - started} ms${leaked ? ', SERVED THE FILE OUTSIDE' : ''}; server ${health ? `DOWN (${health})` : 'alive'}`);
  await target.revive(health !== null);
  return { status, leaked, health };
}

describe('media routes and planted files', () => {
  it('a thumbnail replaced by a symbolic link to a file outside → 404, nothing served', async () => {
    const thumb = path.join(projectDir, 'cache', 'thumbs', `${imageId}.jpg`);
    await fs.rm(thumb);
    await fs.symlink(path.join(outside, 'secret.txt'), thumb);
    const { status, leaked, health } = await judge('thumbnail → symlink to a file outside the cache', `thumb/${imageId}`);
    expect(leaked).toBe(false);
    expect(status).toBe(404);
    expect(health).toBeNull();
  });

  it('the previews folder replaced by a symbolic link to a folder outside → 404, nothing served', async () => {
    expect((await media(`preview/${imageId}`)).status).toBe(200);
    const previews = path.join(projectDir, 'cache', 'previews');
    const names = await fs.readdir(previews);
    const elsewhere = path.join(outside, 'previews');
    await fs.rename(previews, elsewhere);
    for (const name of names) await fs.writeFile(path.join(elsewhere, name), SECRET);
    await fs.symlink(elsewhere, previews);
    const { status, leaked, health } = await judge('cache/previews → symlink to a folder outside', `preview/${imageId}`);
    expect(leaked).toBe(false);
    expect(status).toBe(404);
    expect(health).toBeNull();
  });

  it('a FIFO planted as a cached file is not opened: 404 at once', async () => {
    const thumb = path.join(projectDir, 'cache', 'thumbs', `${imageId}.jpg`);
    await fs.rm(thumb, { force: true });
    execFileSync('mkfifo', [thumb]);
    const { status, health } = await judge('thumbnail → FIFO', `thumb/${imageId}`);
    expect(status).toBe(404);
    expect(health).toBeNull();
  });

  it('an original is served while it is a regular file, and not once a FIFO takes its place', async () => {
    const served = await media(`original/${imageId}`);
    expect(served.status).toBe(200);
    await fs.rm(original);
    execFileSync('mkfifo', [original]);
    const { status, health } = await judge('original → FIFO', `original/${imageId}`);
    expect(status).toBe(404);
    expect(health).toBeNull();
  });
});
