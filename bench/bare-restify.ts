/**
 * Anchor 1 of `npm run bench`: restify answering "hello world" with nothing else, i.e. what the
 * HTTP stack alone costs on this machine. Started as a child process by bench/run.ts.
 */
import restify from 'restify';

const server = restify.createServer({ name: 'bench-bare' });
server.get('/hello', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
  res.send(200, { hello: 'world' });
  return next();
});
server.get('/readyz', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
  res.send(200, { status: 'ready' });
  return next();
});
server.listen(Number(process.env.PORT ?? 3979), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
