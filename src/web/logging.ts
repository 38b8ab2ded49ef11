import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

// Static files would drown the log of what people did.
const staticFiles = /^\/(assets|govuk|public)\//;

/**
 * The route pattern that answered (`/people/:personId`), never the address itself: addresses carry
 * names and dates of birth typed into search boxes, and ids that say whose record was opened.
 */
export function routePatternOf(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path !== 'string') return '(no route)';
  return `${req.baseUrl}${path}`;
}

/**
 * One line per request, written when the response has gone: method, route pattern, status, time
 * and who. pino-http gives each request its id and `req.log`, but its own request line would carry
 * the URL, headers and query, so it is switched off.
 */
export function setUpLogging(logger: Logger) {
  const http = pinoHttp({
    logger,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: false,
    // Error lines written with req.log carry the request id and nothing else about the request:
    // req.log binds the request as reqId, read as its id alone. pino-http's own serializer would
    // read through the request's headers for every request, for a line that never prints them.
    customAttributeKeys: { req: 'reqId' },
    wrapSerializers: false,
    serializers: { reqId: (req: Request) => req.id },
  });
  return (req: Request, res: Parameters<typeof http>[1], next: () => void) => {
    http(req, res);
    if (!staticFiles.test(req.path)) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const status = res.statusCode;
        const line = {
          reqId: req.id,
          method: req.method,
          route: routePatternOf(req),
          status,
          responseTimeMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
          userId: req.user?.id ?? null,
        };
        if (status >= 500) logger.error(line, 'request failed');
        else if (status >= 400) logger.warn(line, 'request refused');
        else logger.info(line, 'request completed');
      });
    }
    next();
  };
}
