// A real OpenID provider for the campus sign-in tests: panva/node-oidc-provider (OpenID
// Certified), on loopback. node serve.mjs PORT REDIRECT_URI
// One client, `union-portal` (a confidential client: client_secret_basic), that must use PKCE;
// the school's directory below, whose 学号 is the `student_no` claim. The login and consent
// pages are the provider's own development interactions (any password is not checked there:
// this provider stands for the school's, whose password the portal never sees either way).
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const people = {
  '2024010001': { name: '林晓雨', student_no: '2024010001', college: '外国语学院', email: '2024010001@stu.example.edu.cn' },
  '2024010002': { name: '高远', student_no: '2024010002', college: '机械工程学院', email: '2024010002@stu.example.edu.cn' },
  '2024010003': { name: '孙一鸣', student_no: '2024010003', college: '数学学院', email: '2024010003@stu.example.edu.cn' },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'union-portal',
    client_secret: 'union-portal-test-secret',
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'student_no', 'college'], email: ['email'] },
  // The claims go in the ID token itself, where the portal reads them.
  conformIdTokenClaims: false,
  findAccount: async (ctx, id) => people[id] && { accountId: id, claims: async () => ({ sub: id, ...people[id] }) },
  cookies: { keys: ['union-portal-test-cookies'] },
  features: { devInteractions: { enabled: true } },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('oidc provider ready'));
process.on('SIGTERM', () => process.exit(0));
