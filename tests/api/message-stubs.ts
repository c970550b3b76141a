// Local stand-ins for the outside services customer messages go to, each checking what the real one checks:
// an SMTP server (smtp-server, the parsed mails kept), Aliyun SMS (signature version 1.0 recomputed from the form
// parameters with the secret it was given, required parameters, timestamp window, nonce reuse), Tencent Cloud SMS
// (TC3-HMAC-SHA256 recomputed from the headers and body, required fields) and the WeChat Official Account API
// (appid/secret for the token, the token on every send). The signing code here is written from the providers'
// documentation on its own, not imported from the server, so a mistake in one is not mirrored by the other.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpStub {
  url: string;
  mails: ParsedMail[];
  /** Refuse the next N messages with a 451 (a temporary failure). */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

export async function startSmtpStub(): Promise<SmtpStub> {
  const mails: ParsedMail[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse > 0) {
          refuse--;
          const err = new Error('mailbox busy, try later') as Error & { responseCode: number };
          err.responseCode = 451;
          callback(err);
          return;
        }
        simpleParser(Buffer.concat(chunks))
          .then((m) => {
            mails.push(m);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuseNext: (n) => {
      refuse = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------- HTTP stubs

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpStub {
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

async function startHttp(handle: (req: Received) => { status: number; body: unknown }): Promise<HttpStub> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const out = handle(r);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Aliyun's percent-encoding for signatures (Java's URLEncoder, then + → %20, * → %2A, %7E → ~). */
function aliyunEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

export interface AliyunStub extends HttpStub {
  sent: { phone: string; templateCode: string; params: Record<string, string>; signName: string }[];
}

/** Aliyun dysmsapi SendSms (RPC, signature version 1.0) as the real endpoint checks it. */
export async function startAliyunStub(keys: { accessKeyId: string; secret: string }, now: () => number): Promise<AliyunStub> {
  const sent: AliyunStub['sent'] = [];
  const nonces = new Set<string>();
  const stub = await startHttp((req) => {
    const form = new URLSearchParams(req.body);
    const params: Record<string, string> = {};
    for (const [k, v] of form) params[k] = v;
    const fail = (code: string, message: string, status = 400) => ({ status, body: { Code: code, Message: message, RequestId: crypto.randomUUID() } });
    for (const p of ['AccessKeyId', 'Action', 'Format', 'PhoneNumbers', 'SignName', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'TemplateCode', 'Timestamp', 'Version', 'Signature']) {
      if (!params[p]) return fail('MissingParameter', `${p} is mandatory for this action.`);
    }
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') return fail('InvalidAction.NotFound', 'Specified api is not found');
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') return fail('InvalidSignatureMethod', 'bad method');
    if (params.AccessKeyId !== keys.accessKeyId) return fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.Timestamp) || Math.abs(Date.parse(params.Timestamp) - now()) > 15 * 60_000) return fail('InvalidTimeStamp.Expired', 'timestamp expired');
    if (nonces.has(params.SignatureNonce)) return fail('SignatureNonceUsed', 'nonce used');
    const { Signature: given, ...rest } = params;
    const canonical = Object.keys(rest)
      .sort()
      .map((k) => `${aliyunEncode(k)}=${aliyunEncode(rest[k])}`)
      .join('&');
    const stringToSign = `${req.method}&${aliyunEncode('/')}&${aliyunEncode(canonical)}`;
    const want = crypto.createHmac('sha1', `${keys.secret}&`).update(stringToSign).digest('base64');
    if (want !== given) return fail('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    nonces.add(params.SignatureNonce);
    if (!/^1\d{10}$/.test(params.PhoneNumbers)) return fail('isv.MOBILE_NUMBER_ILLEGAL', 'invalid mobile number', 200);
    sent.push({ phone: params.PhoneNumbers, templateCode: params.TemplateCode, params: JSON.parse(params.TemplateParam ?? '{}'), signName: params.SignName });
    return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: '9006197469364984400', RequestId: crypto.randomUUID() } };
  });
  return Object.assign(stub, { sent });
}

export interface TencentStub extends HttpStub {
  sent: { phones: string[]; templateId: string; params: string[]; appId: string; signName: string }[];
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (k: crypto.BinaryLike, s: string) => crypto.createHmac('sha256', k).update(s).digest();

/** Tencent Cloud SMS SendSms (API 3.0, TC3-HMAC-SHA256) as the real endpoint checks it. */
export async function startTencentStub(keys: { secretId: string; secretKey: string }, now: () => number): Promise<TencentStub> {
  const sent: TencentStub['sent'] = [];
  const stub = await startHttp((req) => {
    const error = (code: string, message: string) => ({ status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: crypto.randomUUID() } } });
    const h = req.headers;
    if (h['x-tc-action'] !== 'SendSms' || h['x-tc-version'] !== '2021-01-11') return error('InvalidAction', 'action or version');
    const ts = Number(h['x-tc-timestamp']);
    if (!Number.isFinite(ts) || Math.abs(ts * 1000 - now()) > 5 * 60_000) return error('AuthFailure.SignatureExpire', 'signature expired');
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/sms\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(String(h.authorization ?? ''));
    if (!auth) return error('AuthFailure.InvalidAuthorization', 'authorization malformed');
    const [, secretId, date, signedHeaders, signature] = auth;
    if (secretId !== keys.secretId) return error('AuthFailure.SecretIdNotFound', 'secret id not found');
    if (date !== new Date(ts * 1000).toISOString().slice(0, 10)) return error('AuthFailure.InvalidAuthorization', 'date');
    const names = signedHeaders.split(';');
    if (!names.includes('content-type') || !names.includes('host')) return error('AuthFailure.InvalidAuthorization', 'signed headers');
    const canonicalHeaders = names.map((n) => `${n}:${String(h[n] ?? '').trim().toLowerCase()}\n`).join('');
    const canonicalRequest = `${req.method}\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256(req.body)}`;
    const stringToSign = `TC3-HMAC-SHA256\n${ts}\n${date}/sms/tc3_request\n${sha256(canonicalRequest)}`;
    const key = hmac(hmac(hmac(`TC3${keys.secretKey}`, date), 'sms'), 'tc3_request');
    if (crypto.createHmac('sha256', key).update(stringToSign).digest('hex') !== signature) return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    const body = JSON.parse(req.body) as { PhoneNumberSet?: string[]; SmsSdkAppId?: string; SignName?: string; TemplateId?: string; TemplateParamSet?: string[] };
    for (const f of ['PhoneNumberSet', 'SmsSdkAppId', 'TemplateId'] as const) if (!body[f]) return error('MissingParameter', `${f} missing`);
    sent.push({ phones: body.PhoneNumberSet!, templateId: body.TemplateId!, params: body.TemplateParamSet ?? [], appId: body.SmsSdkAppId!, signName: body.SignName ?? '' });
    return { status: 200, body: { Response: { SendStatusSet: body.PhoneNumberSet!.map((p) => ({ SerialNo: '2028:1', PhoneNumber: p, Fee: 1, SessionContext: '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' })), RequestId: crypto.randomUUID() } } };
  });
  return Object.assign(stub, { sent });
}

export interface WechatStub extends HttpStub {
  sent: { touser: string; template_id: string; url?: string; data: Record<string, { value: string }> }[];
  tokensIssued: number;
  /** Make the current token expire (the next send gets 42001). */
  expireToken(): void;
}

/** The WeChat Official Account API: /cgi-bin/token checks appid and secret, template sends check the token. */
export async function startWechatStub(keys: { appId: string; secret: string }): Promise<WechatStub> {
  const sent: WechatStub['sent'] = [];
  const state = { token: '', tokensIssued: 0 };
  const stub = await startHttp((req) => {
    const u = new URL(req.url, 'http://stub');
    if (u.pathname === '/cgi-bin/token') {
      if (u.searchParams.get('grant_type') !== 'client_credential') return { status: 200, body: { errcode: 40002, errmsg: 'invalid grant_type' } };
      if (u.searchParams.get('appid') !== keys.appId) return { status: 200, body: { errcode: 40013, errmsg: 'invalid appid' } };
      if (u.searchParams.get('secret') !== keys.secret) return { status: 200, body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
      state.token = crypto.randomBytes(16).toString('hex');
      state.tokensIssued++;
      return { status: 200, body: { access_token: state.token, expires_in: 7200 } };
    }
    if (u.pathname === '/cgi-bin/message/template/send') {
      const token = u.searchParams.get('access_token');
      if (!token || token !== state.token) return { status: 200, body: { errcode: 42001, errmsg: 'access_token expired' } };
      const body = JSON.parse(req.body) as WechatStub['sent'][number];
      if (!body.touser || !body.template_id || !body.data) return { status: 200, body: { errcode: 47001, errmsg: 'data format error' } };
      sent.push(body);
      return { status: 200, body: { errcode: 0, errmsg: 'ok', msgid: sent.length } };
    }
    return { status: 404, body: { errcode: -1, errmsg: 'not found' } };
  });
  const out = Object.assign(stub, {
    sent,
    tokensIssued: 0,
    expireToken: () => {
      state.token = 'expired';
    },
  });
  // Object.assign would copy a getter's value once: define it on the result.
  Object.defineProperty(out, 'tokensIssued', { get: () => state.tokensIssued });
  return out;
}

export interface GenericSmsStub extends HttpStub {
  sent: { to: string; text: string; event: string; variables: Record<string, string> }[];
}

/** An in-house SMS gateway taking our generic JSON, checking the HMAC-SHA256 signature over "<timestamp>.<body>". */
export async function startGenericSmsStub(secret: string): Promise<GenericSmsStub> {
  const sent: GenericSmsStub['sent'] = [];
  const stub = await startHttp((req) => {
    const ts = String(req.headers['x-aftercare-timestamp'] ?? '');
    const want = `sha256=${crypto.createHmac('sha256', secret).update(`${ts}.${req.body}`).digest('hex')}`;
    if (req.headers['x-aftercare-signature'] !== want) return { status: 401, body: { error: 'bad signature' } };
    const body = JSON.parse(req.body) as GenericSmsStub['sent'][number];
    if (!body.to || !body.text) return { status: 422, body: { error: 'to and text are required' } };
    sent.push(body);
    return { status: 200, body: { ok: true } };
  });
  return Object.assign(stub, { sent });
}
