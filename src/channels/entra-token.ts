/**
 * Validates the Microsoft Entra ID access token that the Teams tab obtains with
 * `authentication.getAuthToken()` (Teams single sign-on), before the server reveals anything
 * that belongs to the signed-in user.
 */

import type * as JoseModule from 'jose' with { 'resolution-mode': 'import' };

/** jose is ESM-only; this CommonJS project loads it with a real dynamic import. */
type Jose = typeof JoseModule;
let josePromise: Promise<Jose> | undefined;
const loadJose = (): Promise<Jose> => (josePromise ??= import('jose'));

/** Who the token says the user is. oid/tid identify the user across Teams, Outlook and the web. */
export interface EntraUser {
  /** Entra object id of the user. */
  oid: string;
  /** Tenant id of the user's organisation. */
  tid: string;
  name?: string;
  /** Sign-in name (v1 `upn`, v2 `preferred_username`). */
  upn?: string;
  /** App roles assigned to the user (the `roles` claim), e.g. KDLZ.Staff for the staff page. */
  roles?: string[];
}

export type EntraTokenProblem =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_tenant'
  | 'missing_claims'
  | 'keys_unavailable'
  | 'not_configured';

/** Every rejection; HTTP code maps it to 401 (or 503 when the key set cannot be fetched). */
export class EntraTokenError extends Error {
  readonly statusCode: number;
  constructor(
    readonly problem: EntraTokenProblem,
    message: string,
  ) {
    super(message);
    this.name = 'EntraTokenError';
    this.statusCode = problem === 'keys_unavailable' || problem === 'not_configured' ? 503 : 401;
  }
}

export interface EntraTokenValidatorOptions {
  /** The Entra app (client) id the token must be issued for: the bot's MicrosoftAppId. */
  clientId: string;
  /** Accept only users of this tenant. Unset: any tenant (multi-tenant app), issuer still checked. */
  tenantId?: string;
  /**
   * Host of the Application ID URI api://<host>/<client id> (the host of PUBLIC_BASE_URL). Unset:
   * only tokens whose audience is the bare client id are accepted.
   */
  applicationIdHost?: string;
  /** Signing keys; default: the tenant's (or the common) JWKS at login.microsoftonline.com. */
  jwksUri?: string;
  /** Exact expected issuer; replaces the v1/v2 Entra issuer check (tests, sovereign clouds). */
  issuer?: string;
  /** Allowed clock difference in seconds for exp/nbf/iat. */
  clockToleranceSec?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface EntraTokenValidator {
  validate(token: string | undefined): Promise<EntraUser>;
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

function acceptedIssuers(tid: string): string[] {
  return [`https://sts.windows.net/${tid}/`, `https://login.microsoftonline.com/${tid}/v2.0`];
}

/**
 * Teams SSO tokens carry the bare client id (v2) or the Application ID URI api://<host>/<client id>
 * (v1). The host must be this service's own (PUBLIC_BASE_URL): any api://<anything>/<client id>
 * would accept a token minted for an app registration URI on somebody else's host.
 */
function audienceMatches(aud: unknown, clientId: string, host: string | undefined): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  const id = clientId.toLowerCase();
  const uri = host ? `api://${host.toLowerCase()}/${id}` : undefined;
  return values.some((a) => typeof a === 'string' && (a.toLowerCase() === id || a.toLowerCase() === uri));
}

/** Maps jose's error codes to our problems without leaking library detail to callers. */
function translateJoseError(err: unknown): EntraTokenError {
  if (err instanceof EntraTokenError) return err;
  const code = (err as { code?: string } | null)?.code ?? '';
  const claim = (err as { claim?: string } | null)?.claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new EntraTokenError('expired', 'Token abgelaufen');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf' || claim === 'iat') return new EntraTokenError('not_yet_valid', 'Token noch nicht gültig');
      return new EntraTokenError('missing_claims', `Token-Angabe ungültig: ${claim ?? 'unbekannt'}`);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new EntraTokenError('bad_signature', 'Signatur des Tokens ungültig');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new EntraTokenError('keys_unavailable', 'Schlüssel von Microsoft Entra ID nicht abrufbar');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new EntraTokenError('malformed', 'Token hat kein gültiges Format');
    default:
      // A failed fetch of the key set surfaces as a plain TypeError/network error.
      if (err instanceof TypeError || /fetch|ECONN|network/i.test(String((err as Error)?.message))) {
        return new EntraTokenError('keys_unavailable', 'Schlüssel von Microsoft Entra ID nicht abrufbar');
      }
      return new EntraTokenError('malformed', 'Token nicht prüfbar');
  }
}

export function createEntraTokenValidator(options: EntraTokenValidatorOptions): EntraTokenValidator {
  const { clientId, tenantId, issuer, clockToleranceSec = 60, now, applicationIdHost } = options;
  if (!GUID.test(clientId)) throw new Error('createEntraTokenValidator: clientId muss eine GUID sein');
  if (tenantId !== undefined && !GUID.test(tenantId)) {
    throw new Error('createEntraTokenValidator: tenantId muss eine GUID sein');
  }
  const jwksUri = options.jwksUri ?? `https://login.microsoftonline.com/${tenantId ?? 'common'}/discovery/v2.0/keys`;
  let keySet: ReturnType<Jose['createRemoteJWKSet']> | undefined;

  return {
    async validate(token) {
      if (!token) throw new EntraTokenError('missing', 'Kein Token übergeben');
      const jose = await loadJose();
      keySet ??= jose.createRemoteJWKSet(new URL(jwksUri));
      let payload: JoseModule.JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(token, keySet, {
          algorithms: ['RS256'],
          clockTolerance: clockToleranceSec,
          currentDate: now?.(),
          requiredClaims: ['exp', 'iss', 'aud'],
        }));
      } catch (err) {
        throw translateJoseError(err);
      }

      const tid = typeof payload.tid === 'string' ? payload.tid : undefined;
      const oid = typeof payload.oid === 'string' ? payload.oid : undefined;
      if (!tid || !oid) throw new EntraTokenError('missing_claims', 'Token ohne Benutzer- oder Mandanten-ID');
      if (!audienceMatches(payload.aud, clientId, applicationIdHost)) {
        throw new EntraTokenError('wrong_audience', 'Token ist nicht für diese App ausgestellt');
      }
      const issuerOk = issuer ? payload.iss === issuer : acceptedIssuers(tid).includes(payload.iss ?? '');
      if (!issuerOk) throw new EntraTokenError('wrong_issuer', 'Token stammt nicht von Microsoft Entra ID');
      if (tenantId && tid.toLowerCase() !== tenantId.toLowerCase()) {
        throw new EntraTokenError('wrong_tenant', 'Token gehört zu einer anderen Organisation');
      }

      const upn = [payload.upn, payload.preferred_username, payload.unique_name].find((v) => typeof v === 'string') as
        | string
        | undefined;
      return {
        oid,
        tid,
        ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
        ...(upn ? { upn } : {}),
        ...(Array.isArray(payload.roles) ? { roles: payload.roles.filter((r): r is string => typeof r === 'string') } : {}),
      };
    },
  };
}

/**
 * For installations without MicrosoftAppId (local development, web chat only): the tab page still
 * loads, and its API answers 503 "not configured" instead of trusting anyone.
 */
export function notConfiguredValidator(): EntraTokenValidator {
  return {
    validate: async () => {
      throw new EntraTokenError('not_configured', 'Teams-Einmalanmeldung nicht eingerichtet (MicrosoftAppId fehlt)');
    },
  };
}

/** The token from an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
