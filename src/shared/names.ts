/**
 * The names of every API method and event, with no dependencies, so the sandboxed preload can
 * check them without bundling the schemas. contract.ts ties each name to its schema and types.
 */
export const methodNames = [
  'app.info',
  'project.create',
  'project.open',
  'project.close',
  'project.recent',
  'images.list',
  'images.import',
  'jobs.list',
  'jobs.cancel',
  'jobs.resume',
  'image.open',
  'trimap.stroke',
  'trimap.undo',
  'trimap.redo',
  'trimap.reset',
  'image.refine',
  'export.start',
  'settings.get',
  'settings.set',
  'models.list',
  'models.add',
  'models.delete',
  'models.import',
  'training.check',
  'training.start',
  'training.status',
  'training.log',
  'files.list',
  'adjustments.get',
  'adjustments.set',
  'trimap.keepSubject',
] as const;
export type MethodName = (typeof methodNames)[number];

export const eventNames = ['job.progress', 'job.done', 'project.changed', 'images.changed', 'settings.changed'] as const;
export type EventName = (typeof eventNames)[number];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && (methodNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}
