import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export function setUpLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    // Search boxes put names and dates of birth in query strings; the log keeps only the path.
    serializers: {
      req: (req: { url?: string }) => ({ ...req, url: req.url?.split('?')[0] }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Static files would drown the log of what people did.
    autoLogging: { ignore: (req) => /^\/(assets|govuk|public)\//.test(req.url ?? '') },
  });
}
