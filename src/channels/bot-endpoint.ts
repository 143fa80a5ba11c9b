import {
  type Activity,
  CallerIdConstants,
  StatusCodes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type restify from 'restify';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
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
export function createCloudAdapter(
  config: Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppType' | 'MicrosoftAppTenantId'>,
  /** Tests: where the channel's signing keys are published (default: Microsoft's). */
  overrides: { openIdMetadataUrl?: string } = {},
): CloudAdapter {
  const settings = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType ?? (config.MicrosoftAppId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
    ...(overrides.openIdMetadataUrl ? publicCloudWith(overrides.openIdMetadataUrl) : {}),
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const auth = new TokenErrorsAreUnauthorized(settings, credentials);
  return new CloudAdapter(auth);
}

/**
 * botframework-connector lets jsonwebtoken's own errors (a bad signature, a malformed token)
 * escape as plain errors, which the CloudAdapter answers with 500; they are a refused token.
 */
class TokenErrorsAreUnauthorized extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError') {
        throw new AuthenticationError('Unauthorized. Invalid token.', StatusCodes.UNAUTHORIZED);
      }
      throw e;
    }
  }
}

/**
 * The public-cloud settings with another key location. The connector switches to fully
 * parameterised settings as soon as one is given, so every other value must be given too: with
 * only the metadata URL, the token issuer would be undefined and every valid token refused
 * (test/channels/bot-endpoint.test.ts caught exactly that).
 */
function publicCloudWith(openIdMetadataUrl: string): Record<string, string | boolean> {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
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
    // CloudAdapter writes its own error answers, with the error's message as the body: a forged
    // token while Microsoft's key endpoint was unreachable got a 500 naming the internal DNS
    // failure. It writes into a stand-in here; errors go out as a neutral JSON reason.
    const out = capturedResponse();
    try {
      await adapter.process(req, out.shim as unknown as restify.Response, run);
    } catch (err) {
      out.status = 500;
      out.body = err instanceof Error ? err.message : String(err);
    }
    if (out.status === 401 || out.status === 403) {
      return sendJsonError(res, 401, 'Anmeldung ungültig.', { code: 'Unauthorized' });
    }
    if (out.status >= 500) {
      logger.error({ status: out.status, reason: typeof out.body === 'string' ? out.body.slice(0, 300) : undefined }, 'bot endpoint failed');
      res.setHeader('Retry-After', '30');
      return sendJsonError(res, 503, 'Der Dienst ist gerade nicht verfügbar. Bitte später erneut versuchen.', { code: 'Unavailable' });
    }
    if (out.status >= 400) return sendJsonError(res, out.status, 'Ungültige Anfrage.', { code: 'BadRequest' });
    res.status(out.status);
    if (out.body !== undefined) res.send(out.body);
    else res.end();
  });
}

/** A response object CloudAdapter can write to; what it wrote is read afterwards. */
function capturedResponse(): { shim: { status(n: number): unknown; send(b?: unknown): unknown; end(): unknown; header(): unknown }; status: number; body: unknown } {
  const out = {
    status: 200,
    body: undefined as unknown,
    shim: {
      status: (n: number) => {
        out.status = n;
        return out.shim;
      },
      send: (b?: unknown) => {
        out.body = b;
        return out.shim;
      },
      end: () => out.shim,
      header: () => out.shim,
    },
  };
  return out;
}
