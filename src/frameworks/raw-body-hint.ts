// `req.rawBody = …` / `req['rawBody'] = …` / `ctx.request.rawBody = …`: the app keeps the raw bytes itself.
// A raw-body fact for every adapter that reads one (NestJS, Koa). Plain module: the scan worker's filter
// hints use it too.
export const ASSIGNS_RAW_BODY = /(?:\.rawBody|\[['"]rawBody['"]\])\s*=(?!=)/;
