// Unit tests of the pure parts of messages to customers: templates, threading headers, provider request formats.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/enums.js';
import { MESSAGE_CHANNELS, MESSAGE_EVENTS, MESSAGE_VARIABLES } from '../../../shared/messages.js';
import { messageIdDomain, threadHeaders } from './mail-thread.js';
import { aliyunPercentEncode, aliyunPhone, aliyunSendSms, judgeAliyun, judgeTencent, tencentPhone, tencentSendSms } from './sms.js';
import { checkTemplate, defaultTemplate, renderTemplate, templateVariables } from './templates.js';

describe('templates', () => {
  it('every built-in template uses only its event’s variables, in both languages and on every channel', () => {
    for (const event of MESSAGE_EVENTS)
      for (const channel of MESSAGE_CHANNELS)
        for (const locale of LANGUAGES) {
          const t = defaultTemplate(event, channel, locale);
          expect(checkTemplate(event, t.subject), `${event}/${channel}/${locale} subject`).toBeNull();
          expect(checkTemplate(event, t.body), `${event}/${channel}/${locale} body`).toBeNull();
          expect(t.body.trim()).not.toBe('');
        }
  });

  it('finds unknown variables and stray braces', () => {
    expect(checkTemplate('staff_reply', '{{reply}} {{ number }}')).toBeNull();
    expect(checkTemplate('staff_reply', '{{solution}} {{reply}} {{foo}}')).toEqual({ kind: 'unknown_variables', names: ['solution', 'foo'] });
    expect(checkTemplate('staff_reply', '{{reply} and more')).toEqual({ kind: 'syntax' });
    expect(checkTemplate('staff_reply', 'a }} b')).toEqual({ kind: 'syntax' });
    expect(MESSAGE_VARIABLES.login_code).toEqual(['code', 'minutes']);
  });

  it('renders values, never leaving a raw placeholder, and lists variables in order of first use', () => {
    expect(renderTemplate('{{a}}-{{ b }}-{{c}}', { a: '1', b: '2' })).toBe('1-2-');
    expect(templateVariables('{{link}} {{number}} {{link}}')).toEqual(['link', 'number']);
  });
});

describe('e-mail threading', () => {
  it('a stable root per ticket; later messages answer it', () => {
    expect(messageIdDomain('Aftercare <service@Example.COM>', 'http://x')).toBe('example.com');
    expect(messageIdDomain('nobody', 'https://help.example.org:8443/')).toBe('help.example.org');
    expect(threadHeaders({ messageId: 7, ticketId: 12, first: true, domain: 'd' })).toEqual({ messageId: '<aftercare.ticket.12@d>' });
    expect(threadHeaders({ messageId: 9, ticketId: 12, first: false, domain: 'd' })).toEqual({ messageId: '<aftercare.ticket.12.9@d>', inReplyTo: '<aftercare.ticket.12@d>', references: ['<aftercare.ticket.12@d>'] });
    expect(threadHeaders({ messageId: 3, ticketId: null, first: true, domain: 'd' })).toEqual({ messageId: '<aftercare.message.3@d>' });
  });
});

describe('SMS requests', () => {
  const creds = { endpoint: 'https://sms.example/', accessKeyId: 'id', secret: 'sec', signName: '售后', appId: '1400', region: '' };
  const message = { phone: '+86 138-1234-5678', text: 'x', event: 'ticket_registered', templateCode: 'SMS_1', variables: { number: '202611001', link: 'https://a/b?c=d e' }, orderedValues: ['202611001', 'https://a/b'] };

  it("Aliyun: RFC 3986 encoding as its signature wants, and a form whose Signature verifies over the other parameters", () => {
    expect(aliyunPercentEncode("a b*c~d!e'(f)")).toBe('a%20b%2Ac~d%21e%27%28f%29');
    expect(aliyunPercentEncode('售')).toBe('%E5%94%AE');
    expect(aliyunPhone('+86 138-1234-5678')).toBe('13812345678');
    const req = aliyunSendSms(creds, message, Date.parse('2026-11-23T02:00:00.123Z'), 'nonce-1');
    const form = new URLSearchParams(req.body);
    expect(form.get('Timestamp')).toBe('2026-11-23T02:00:00Z');
    expect(form.get('RegionId')).toBe('cn-hangzhou');
    expect(JSON.parse(form.get('TemplateParam')!)).toEqual(message.variables);
    const params = Object.fromEntries([...form].filter(([k]) => k !== 'Signature'));
    const canonical = Object.keys(params).sort().map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`).join('&');
    const want = crypto.createHmac('sha1', 'sec&').update(`POST&%2F&${aliyunPercentEncode(canonical)}`).digest('base64');
    expect(form.get('Signature')).toBe(want);
    expect(judgeAliyun(200, '{"Code":"OK"}')).toEqual({ ok: true });
    expect(judgeAliyun(400, '{"Code":"SignatureDoesNotMatch","Message":"no"}')).toMatchObject({ ok: false, permanent: false });
    expect(judgeAliyun(200, '{"Code":"isv.MOBILE_NUMBER_ILLEGAL"}')).toMatchObject({ ok: false, permanent: true });
  });

  it('Tencent: E.164 numbers, the headers it requires and a credential scope of the UTC date', () => {
    expect(tencentPhone('138 1234 5678')).toBe('+8613812345678');
    const req = tencentSendSms(creds, message, Date.parse('2026-11-23T23:59:59Z'));
    expect(req.headers).toMatchObject({ 'x-tc-action': 'SendSms', 'x-tc-version': '2021-01-11', 'x-tc-timestamp': String(Date.parse('2026-11-23T23:59:59Z') / 1000), 'x-tc-region': 'ap-guangzhou', host: 'sms.example' });
    expect(req.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=id\/2026-11-23\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
    expect(JSON.parse(req.body)).toEqual({ PhoneNumberSet: ['+8613812345678'], SmsSdkAppId: '1400', SignName: '售后', TemplateId: 'SMS_1', TemplateParamSet: ['202611001', 'https://a/b'] });
    expect(judgeTencent(200, '{"Response":{"SendStatusSet":[{"Code":"Ok"}]}}')).toEqual({ ok: true });
    expect(judgeTencent(200, '{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"x"}}}')).toMatchObject({ ok: false });
  });
});
