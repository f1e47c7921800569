/** Child process for the kill test: saves trimap edits in a loop and reports each committed version. */
import { openProject } from '../../../src/engine/project';

const [dir, idText] = process.argv.slice(2);
const project = openProject(dir);
const imageId = Number(idText);
const { width, height } = project.requireImage(imageId);
for (let i = 1; ; i++) {
  const state =
    i % 5 === 0
      ? project.trimaps.add(imageId, { kind: 'raster', raster: new Uint8Array(width * height).fill(i % 2 ? 255 : 0) })
      : project.trimaps.add(imageId, { kind: 'stroke', stroke: { tool: 'fg', radius: 1 + (i % 7), hardness: 1, points: [[i % width, i % height]] } });
  process.stdout.write(`committed ${state.version}\n`);
}
