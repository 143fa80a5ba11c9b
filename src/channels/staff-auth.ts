/**
 * Who may use the KDLZ staff routes (handoffs, statistics): the bearer token STAFF_API_TOKEN
 * (compared in constant time, as for /api/bookings), or — where the staff page signs in with
 * Entra ID — an Entra access token of this tenant whose `roles` claim holds the staff role.
 */
import type { Request, Response } from 'restify';
import { sendJsonError } from '../server';
import { bearerToken, EntraTokenError, type EntraTokenValidator } from './entra-token';
import { tokenMatches } from './staff-api';

export interface StaffIdentity {
  /** Shown to users as "KDLZ-Team (Name)" when no agent name is given. */
  name?: string;
  via: 'token' | 'entra';
}

export interface StaffAuthOptions {
  token?: string;
  /** Set when Entra sign-in for staff is configured. */
  entra?: { validator: EntraTokenValidator; role: string };
}

/** Answers 401/503 itself and resolves undefined unless the request is from KDLZ staff. */
export type StaffGuard = (req: Request, res: Response) => Promise<StaffIdentity | undefined>;

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export function createStaffGuard(opts: StaffAuthOptions): StaffGuard {
  const deny = (res: Response, reason: string) => {
    res.header('WWW-Authenticate', 'Bearer realm="kdlz-staff"');
    sendJsonError(res, 401, reason);
    return undefined;
  };
  return async (req, res) => {
    if (!opts.token && !opts.entra) {
      sendJsonError(res, 503, 'Der Mitarbeitendenzugang ist nicht eingerichtet (STAFF_API_TOKEN oder STAFF_OIDC_CLIENT_ID fehlt).');
      return undefined;
    }
    const header = req.headers.authorization;
    if (opts.token && tokenMatches(header, opts.token)) return { via: 'token' };
    const presented = bearerToken(header);
    if (opts.entra && presented && JWT_SHAPE.test(presented)) {
      try {
        const user = await opts.entra.validator.validate(presented);
        if (!(user.roles ?? []).includes(opts.entra.role)) return deny(res, `Angemeldet, aber ohne die Rolle ${opts.entra.role}.`);
        return { via: 'entra', name: user.name ?? user.upn };
      } catch (err) {
        if (!(err instanceof EntraTokenError)) throw err;
        if (err.statusCode === 503) {
          sendJsonError(res, 503, 'Die Anmeldung kann gerade nicht geprüft werden. Bitte später erneut versuchen.');
          return undefined;
        }
        return deny(res, `Anmeldung abgelehnt: ${err.message}.`);
      }
    }
    return deny(res, 'Anmeldung erforderlich: gültiges Bearer-Token fehlt.');
  };
}
