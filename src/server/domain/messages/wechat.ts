// WeChat Official Account template messages: the access_token request, and the template message body (the message's
// subject as "first", the ticket number and a summary as keywords, the text as "remark", the portal link as url).
// Pure: the caller fetches and caches the token (modules/messages/senders.ts).

export const WECHAT_DEFAULT_API = 'https://api.weixin.qq.com';

export function wechatTokenUrl(apiBase: string, appId: string, secret: string): string {
  const u = new URL('/cgi-bin/token', apiBase || WECHAT_DEFAULT_API);
  u.searchParams.set('grant_type', 'client_credential');
  u.searchParams.set('appid', appId);
  u.searchParams.set('secret', secret);
  return u.toString();
}

export function wechatSendUrl(apiBase: string, token: string): string {
  const u = new URL('/cgi-bin/message/template/send', apiBase || WECHAT_DEFAULT_API);
  u.searchParams.set('access_token', token);
  return u.toString();
}

export function wechatTemplateBody(opts: { openid: string; templateId: string; url: string | null; subject: string; number: string; summary: string; text: string }): string {
  return JSON.stringify({
    touser: opts.openid,
    template_id: opts.templateId,
    ...(opts.url ? { url: opts.url } : {}),
    data: {
      first: { value: opts.subject },
      keyword1: { value: opts.number },
      keyword2: { value: opts.summary },
      remark: { value: opts.text },
    },
  });
}

/** errcode 40001 (invalid credential), 40014 (invalid token) and 42001 (token expired): fetch a new token and retry. */
export function wechatTokenRejected(errcode: number | undefined): boolean {
  return errcode === 40001 || errcode === 40014 || errcode === 42001;
}
