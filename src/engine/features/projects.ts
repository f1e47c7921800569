import type { FeatureHandlers, StudioContext } from './context';

/** Creating, opening and closing projects, and the recent-projects list. */
export function setupProjects(ctx: StudioContext): FeatureHandlers<'project.create' | 'project.open' | 'project.close' | 'project.recent'> {
  return {
    'project.create': ({ path }) => ctx.openSession(path, true),
    'project.open': ({ path }) => ctx.openSession(path, false),
    'project.close': async () => {
      const closed = await ctx.closeSession();
      if (closed) ctx.emit('project.changed', { project: null });
      return { closed };
    },
    'project.recent': () => ({ projects: ctx.recent.list() }),
  };
}
