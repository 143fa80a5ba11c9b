import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type restify from 'restify';
import * as connectorMappers from 'botframework-connector/lib/connectorApi/models/mappers';
import type { Config } from '../config';
import type { Logger } from '../log';
import { sendJsonError } from '../server';

/**
 * botframework-connector 4.23 serialises activity.entities with a mapper that knows only
 * `type`, `text` and `mentioned`, so every other field is dropped on the way to the channel:
 * the schema.org citation entity and the eligibility/booking entities would arrive empty.
 * Declaring additional properties lets them through unchanged (the Direct Line path never
 * serialises through the connector and is unaffected).
 */
function keepEntityProperties(): void {
  const entity = (connectorMappers as unknown as { Entity: { type: { additionalProperties?: unknown } } }).Entity;
  entity.type.additionalProperties = { type: { name: 'Object' } };
}
keepEntityProperties();

/** The minimum an incoming body needs before the Bot Framework adapter may see it. */
export function activityProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Der Inhalt ist keine Bot-Framework-Activity (JSON-Objekt erwartet).';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type === '') return 'Feld "type" fehlt.';
  const conv = a.conversation as Record<string, unknown> | undefined;
  if (!conv || typeof conv.id !== 'string') return 'Feld "conversation.id" fehlt.';
  if (typeof a.serviceUrl !== 'string' || !/^https?:\/\//.test(a.serviceUrl)) return 'Feld "serviceUrl" fehlt oder ist keine URL.';
  if (typeof a.channelId !== 'string') return 'Feld "channelId" fehlt.';
  const from = a.from as Record<string, unknown> | undefined;
  if (a.type === 'message' && (!from || typeof from.id !== 'string')) return 'Feld "from.id" fehlt.';
  return undefined;
}

/**
 * The Bot Framework endpoint (Teams via Azure Bot Service, the Emulator, other channels).
 * With MicrosoftAppId set, botframework-connector validates the channel's JWT; without it the
 * adapter runs unauthenticated, which is only for local development.
 */
export function createCloudAdapter(config: Config): CloudAdapter {
  const settings = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const auth = new ConfigurationBotFrameworkAuthentication(settings, credentials);
  return new CloudAdapter(auth);
}

export function registerBotEndpoint(
  server: restify.Server,
  adapter: CloudAdapter,
  run: (context: TurnContext) => Promise<void>,
  logger: Logger,
): void {
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const problem = activityProblem(req.body);
    if (problem) return sendJsonError(res, 400, problem);
    try {
      await adapter.process(req, res, run);
    } catch (err) {
      logger.error({ err }, 'bot endpoint failed');
      sendJsonError(res, 500, 'Interner Fehler.');
    }
  });
}
