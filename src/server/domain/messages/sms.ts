// SMS provider requests, built and signed the way each provider documents it. Pure: the caller gives the time and
// the nonce, and sends the request (modules/messages/senders.ts).
//   Aliyun SMS (dysmsapi, API version 2017-05-25): the RPC style — every parameter in a form body, signed with
//     signature version 1.0, HMAC-SHA1 over "POST&%2F&" + the percent-encoded, sorted, canonical query string, keyed
//     with the AccessKey secret plus "&".
//   Tencent Cloud SMS (API 3.0, version 2021-01-11): a JSON body, signed with TC3-HMAC-SHA256 (a canonical request of
//     method, path, query, the content-type and host headers and the body's SHA-256; a key derived from "TC3" + the
//     secret key, the UTC date, the service "sms" and "tc3_request").
//   Generic: our own JSON (to, text, event, variables), signed like the generic webhooks (HMAC-SHA256 of
//     "<timestamp>.<body>" in X-Aftercare-Signature), for an in-house SMS gateway.
import crypto from 'node:crypto';

export interface SmsRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export interface SmsMessage {
  /** The phone number as the customer gave it. */
  phone: string;
  text: string;
  event: string;
  /** The provider's template (Aliyun TemplateCode, Tencent TemplateId); unused by the generic gateway. */
  templateCode: string;
  /** Named values (Aliyun's TemplateParam, the generic body). */
  variables: Record<string, string>;
  /** Tencent: the values in the order the template numbers them ({1}, {2}, …). */
  orderedValues: string[];
}

export interface SmsCredentials {
  endpoint: string;
  accessKeyId: string;
  secret: string;
  signName: string;
  appId: string;
  region: string;
}

// ---------------------------------------------------------------- Aliyun

export const ALIYUN_DEFAULT_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';

/** RFC 3986 percent-encoding as Aliyun's signature needs it: space %20, * %2A, ~ kept, !'() encoded. */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical query string: parameters sorted by name (byte order), each name=value percent-encoded, joined by &. */
export function aliyunCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
    .join('&');
}

export function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(aliyunCanonicalQuery(params))}`;
  return crypto.createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Aliyun wants a mainland number without +86 (other countries with their code, no +). */
export function aliyunPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.startsWith('+86')) return digits.slice(3);
  if (digits.startsWith('+')) return digits.slice(1);
  return digits;
}

/** Aliyun's Timestamp: ISO 8601 in UTC without milliseconds (2026-11-23T02:00:00Z). */
function aliyunTimestamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function aliyunSendSms(c: SmsCredentials, m: SmsMessage, now: number, nonce: string): SmsRequest {
  const params: Record<string, string> = {
    AccessKeyId: c.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: aliyunPhone(m.phone),
    RegionId: c.region || 'cn-hangzhou',
    SignName: c.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: m.templateCode,
    TemplateParam: JSON.stringify(m.variables),
    Timestamp: aliyunTimestamp(now),
    Version: '2017-05-25',
  };
  const signature = aliyunSignature('POST', params, c.secret);
  const body = `Signature=${aliyunPercentEncode(signature)}&${aliyunCanonicalQuery(params)}`;
  return { url: c.endpoint || ALIYUN_DEFAULT_ENDPOINT, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
}

/** Aliyun answers {"Code":"OK",…} on success; anything else names the problem in Code and Message. */
export function judgeAliyun(status: number, text: string): { ok: true } | { ok: false; error: string; permanent: boolean } {
  let json: { Code?: string; Message?: string } = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: judged by the status */
  }
  if (status >= 200 && status < 300 && json.Code === 'OK') return { ok: true };
  const code = json.Code ?? `HTTP ${status}`;
  // A phone number the provider refuses will never work; throttling, signature and server errors may.
  const permanent = /MOBILE_NUMBER_ILLEGAL|PHONE_NUMBER_ILLEGAL|BLACK_KEY|MOBILE_IN_BLACK/i.test(code);
  return { ok: false, error: `Aliyun ${code}: ${json.Message ?? text.slice(0, 200)}`, permanent };
}

// ---------------------------------------------------------------- Tencent Cloud

export const TENCENT_DEFAULT_ENDPOINT = 'https://sms.tencentcloudapi.com/';
const TENCENT_VERSION = '2021-01-11';

const sha256hex = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: crypto.BinaryLike, s: string) => crypto.createHmac('sha256', key).update(s, 'utf8').digest();

/** The TC3-HMAC-SHA256 Authorization header value for a POST with a JSON body. */
export function tencentAuthorization(opts: { secretId: string; secretKey: string; host: string; service: string; timestamp: number; contentType: string; body: string }): string {
  const date = new Date(opts.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = ['POST', '/', '', `content-type:${opts.contentType}\nhost:${opts.host}\n`, signedHeaders, sha256hex(opts.body)].join('\n');
  const scope = `${date}/${opts.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(opts.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const secretDate = hmac(`TC3${opts.secretKey}`, date);
  const secretService = hmac(secretDate, opts.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = crypto.createHmac('sha256', secretSigning).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${opts.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Tencent wants E.164 (+8613711112222); a mainland number without a country code gets +86. */
export function tencentPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return digits.startsWith('+') ? digits : `+86${digits}`;
}

export function tencentSendSms(c: SmsCredentials, m: SmsMessage, now: number): SmsRequest {
  const url = c.endpoint || TENCENT_DEFAULT_ENDPOINT;
  const host = new URL(url).host;
  const timestamp = Math.floor(now / 1000);
  const contentType = 'application/json; charset=utf-8';
  const body = JSON.stringify({
    PhoneNumberSet: [tencentPhone(m.phone)],
    SmsSdkAppId: c.appId,
    SignName: c.signName,
    TemplateId: m.templateCode,
    TemplateParamSet: m.orderedValues,
  });
  const authorization = tencentAuthorization({ secretId: c.accessKeyId, secretKey: c.secret, host, service: 'sms', timestamp, contentType, body });
  return {
    url,
    method: 'POST',
    headers: {
      authorization,
      'content-type': contentType,
      host,
      'x-tc-action': 'SendSms',
      'x-tc-timestamp': String(timestamp),
      'x-tc-version': TENCENT_VERSION,
      'x-tc-region': c.region || 'ap-guangzhou',
    },
    body,
  };
}

/** Tencent answers HTTP 200 either way: {"Response":{"Error":{…}}} or a SendStatusSet whose Code is "Ok" per number. */
export function judgeTencent(status: number, text: string): { ok: true } | { ok: false; error: string; permanent: boolean } {
  let json: { Response?: { Error?: { Code?: string; Message?: string }; SendStatusSet?: { Code?: string; Message?: string }[] } } = {};
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `Tencent HTTP ${status}: ${text.slice(0, 200)}`, permanent: false };
  }
  const err = json.Response?.Error;
  if (err) return { ok: false, error: `Tencent ${err.Code}: ${err.Message ?? ''}`, permanent: false };
  const first = json.Response?.SendStatusSet?.[0];
  if (status >= 200 && status < 300 && first?.Code === 'Ok') return { ok: true };
  const code = first?.Code ?? `HTTP ${status}`;
  return { ok: false, error: `Tencent ${code}: ${first?.Message ?? ''}`, permanent: /InvalidParameterValue\.IncorrectPhoneNumber|PhoneNumberInBlacklist/.test(code) };
}

// ---------------------------------------------------------------- generic gateway

export function genericSendSms(c: SmsCredentials, m: SmsMessage, now: number): SmsRequest {
  const body = JSON.stringify({ to: m.phone, text: m.text, event: m.event, variables: m.variables, signName: c.signName || undefined });
  const timestamp = String(Math.floor(now / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-aftercare-timestamp': timestamp };
  if (c.secret) headers['x-aftercare-signature'] = `sha256=${crypto.createHmac('sha256', c.secret).update(`${timestamp}.${body}`).digest('hex')}`;
  if (c.accessKeyId) headers['x-aftercare-key'] = c.accessKeyId;
  return { url: c.endpoint, method: 'POST', headers, body };
}

/** The generic gateway: any 2xx is delivered; 4xx other than 408/429 will not get better by retrying. */
export function judgeGeneric(status: number, text: string): { ok: true } | { ok: false; error: string; permanent: boolean } {
  if (status >= 200 && status < 300) return { ok: true };
  return { ok: false, error: `SMS gateway HTTP ${status}: ${text.slice(0, 200)}`, permanent: status >= 400 && status < 500 && status !== 408 && status !== 429 };
}
