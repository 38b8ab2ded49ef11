import type { Express } from 'express';

export type AppRoute = { method: 'GET' | 'POST'; path: string };

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every GET and POST route the app has, read from its routers, so a new route cannot be left out of a check. */
export function appRoutes(app: Express): AppRoute[] {
  const found: AppRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of ['get', 'post'] as const) {
          if (layer.route.methods[method]) found.push({ method: method === 'get' ? 'GET' : 'POST', path: layer.route.path });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}
