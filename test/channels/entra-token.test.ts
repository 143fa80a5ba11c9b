import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createEntraTokenValidator, EntraTokenError, notConfiguredValidator } from '../../src/channels/entra-token';
import { CLIENT_ID, ssoClaims, startTestIssuer, TENANT, USER_OID, type TestIssuer } from './test-issuer';

const NOW = new Date('2026-11-20T10:00:00Z');
const nowSec = Math.floor(NOW.getTime() / 1000);

let issuer: TestIssuer;
let jwksUri: string;
beforeAll(async () => {
  issuer = await startTestIssuer(NOW);
  jwksUri = issuer.jwksUri;
});
afterAll(() => issuer.stop());

const claims = (overrides = {}) => ssoClaims(NOW, overrides);
const sign = (payload: object, opts?: { stranger?: boolean; kid?: string }) => issuer.sign(payload, opts);

const validator = () => createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri, now: () => NOW, applicationIdHost: 'kdlz.example.de' });

async function rejection(token: string | undefined, v = validator()): Promise<EntraTokenError> {
  const err = await v.validate(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EntraTokenError);
  return err as EntraTokenError;
}

describe('Entra ID token validation (Teams SSO)', () => {
  it('accepts a valid v2 token and returns who the user is', async () => {
    const user = await validator().validate(await sign(claims()));
    expect(user).toEqual({
      oid: USER_OID,
      tid: TENANT,
      name: 'Erika Mustermann',
      upn: 'erika@buseck.example',
    });
  });

  it('accepts a v1 token whose audience is the application ID URI api://host/<client id>', async () => {
    const token = await sign(
      claims({ iss: `https://sts.windows.net/${TENANT}/`, aud: `api://kdlz.example.de/${CLIENT_ID}`, upn: 'erika@buseck.example' }),
    );
    await expect(validator().validate(token)).resolves.toMatchObject({ tid: TENANT, upn: 'erika@buseck.example' });
  });

  it.each([
    ['wrong audience', claims({ aud: '00000000-0000-0000-0000-000000000000' }), 'wrong_audience'],
    ['audience of another app behind the same host', claims({ aud: 'api://kdlz.example.de/00000000-0000-0000-0000-000000000000' }), 'wrong_audience'],
    ['our client id behind another host', claims({ aud: `api://evil.example/${CLIENT_ID}` }), 'wrong_audience'],
    ['our client id behind a host that only starts like ours', claims({ aud: `api://kdlz.example.de.evil.example/${CLIENT_ID}` }), 'wrong_audience'],
    ['our client id under a longer path', claims({ aud: `api://kdlz.example.de/x/${CLIENT_ID}` }), 'wrong_audience'],
    ['wrong issuer', claims({ iss: 'https://evil.example/v2.0' }), 'wrong_issuer'],
    ['issuer of a different tenant than tid', claims({ iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0' }), 'wrong_issuer'],
    ['other tenant', claims({ tid: '00000000-0000-0000-0000-000000000000', iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0' }), 'wrong_tenant'],
    ['expired beyond the clock tolerance', claims({ exp: nowSec - 61, iat: nowSec - 3600, nbf: nowSec - 3600 }), 'expired'],
    ['not yet valid beyond the clock tolerance', claims({ nbf: nowSec + 120, iat: nowSec + 120 }), 'not_yet_valid'],
    ['no user id', claims({ oid: undefined }), 'missing_claims'],
  ])('rejects a token with %s', async (_label, payload, problem) => {
    const err = await rejection(await sign(payload));
    expect(err.problem).toBe(problem);
    expect(err.statusCode).toBe(401);
  });

  it('without a configured host only the bare client id is accepted as audience', async () => {
    const bare = createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri, now: () => NOW });
    await expect(bare.validate(await sign(claims()))).resolves.toMatchObject({ oid: USER_OID });
    expect((await rejection(await sign(claims({ aud: `api://kdlz.example.de/${CLIENT_ID}` })), bare)).problem).toBe('wrong_audience');
  });

  it('tolerates clock skew up to the configured tolerance', async () => {
    const token = await sign(claims({ exp: nowSec - 30 }));
    await expect(validator().validate(token)).resolves.toMatchObject({ tid: TENANT });
    const strict = createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri, now: () => NOW, clockToleranceSec: 10 });
    expect((await rejection(token, strict)).problem).toBe('expired');
  });

  it('rejects a token signed with a key not in the tenant key set', async () => {
    expect((await rejection(await sign(claims(), { stranger: true }))).problem).toBe('bad_signature');
    expect((await rejection(await sign(claims(), { stranger: true, kid: 'unknown-kid' }))).problem).toBe('bad_signature');
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await sign(claims())).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ oid: 'someone-else' }))).toString('base64url');
    expect((await rejection(`${header}.${forged}.${signature}`)).problem).toBe('bad_signature');
  });

  it('rejects an unsigned token (alg none) and garbage', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    expect(['bad_signature', 'malformed']).toContain((await rejection(none)).problem);
    expect((await rejection('not-a-jwt')).problem).toBe('malformed');
    expect((await rejection(undefined)).problem).toBe('missing');
  });

  it('accepts users of any tenant when no tenant is configured, still checking the issuer against tid', async () => {
    const other = '00000000-0000-0000-0000-000000000001';
    const multi = createEntraTokenValidator({ clientId: CLIENT_ID, jwksUri, now: () => NOW });
    const token = await sign(claims({ tid: other, iss: `https://login.microsoftonline.com/${other}/v2.0` }));
    await expect(multi.validate(token)).resolves.toMatchObject({ tid: other });
    expect((await rejection(await sign(claims({ tid: other })), multi)).problem).toBe('wrong_issuer');
  });

  it('reports an unreachable key set as 503, not as the user’s fault', async () => {
    const offline = createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri: 'http://127.0.0.1:9/keys', now: () => NOW });
    const err = await rejection(await sign(claims()), offline);
    expect(err.problem).toBe('keys_unavailable');
    expect(err.statusCode).toBe(503);
  });

  it('fetches the key set once and reuses it', async () => {
    const v = validator();
    const before = issuer.jwksRequests();
    await v.validate(await sign(claims()));
    await v.validate(await sign(claims()));
    expect(issuer.jwksRequests() - before).toBe(1);
  });
});

describe('notConfiguredValidator', () => {
  it('refuses every token with 503, even a valid one', async () => {
    const err = await rejection(await sign(claims()), notConfiguredValidator());
    expect([err.problem, err.statusCode]).toEqual(['not_configured', 503]);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
