// A real OpenID Connect provider (the npm package oidc-provider) for the browser test
// of institution sign-in. Started by tests/e2e/test_institution_sign_in.py:
//   node provider.mjs PORT REDIRECT_URI
// Its development sign-in form takes any login name: the test types an e-mail address,
// which becomes the person's verified e-mail claim (unless it starts with "unverified").
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'sms-tool',
    client_secret: 'test-secret-not-for-production',
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: ['test-cookie-key-not-for-production'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: id,
          email_verified: !id.startsWith('unverified'),
          name: `Institution ${id.split('@')[0]}`,
        };
      },
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
