interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  rawPath?: unknown;
}

/**
 * Every route the app serves, read from Express 5's router itself: layers with a `route` are routes;
 * layers whose handle has a `stack` are nested routers (mounted at `rawPath`, or at the root).
 */
export function walkRoutes(app: unknown): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const method of Object.keys(layer.route.methods)) {
            found.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${prefix}${path}`);
          }
        }
      } else if (layer.handle?.stack) {
        if (!layer.slash && typeof layer.rawPath !== 'string') {
          throw new Error(
            `A router is mounted at ${String(layer.rawPath)}: teach walkRoutes that kind of path`,
          );
        }
        walk(layer.handle.stack, layer.slash ? prefix : `${prefix}${layer.rawPath as string}`);
      }
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}
