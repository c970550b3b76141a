// Message templates to customers: the built-in texts per event, channel and language, the {{variable}} syntax, its
// check when an admin saves one, and rendering. Pure.
import { ESSENTIAL_MESSAGE_EVENTS, MESSAGE_VARIABLES, type MessageChannel, type MessageEvent } from '../../../shared/messages.js';
import type { Language } from '../../../shared/enums.js';

export interface TemplateText {
  subject: string;
  body: string;
}

interface EventTexts {
  subject: string;
  /** E-mail: a few lines. */
  mail: string;
  /** SMS and WeChat: one line, short (an SMS of 70 Chinese characters is one message). */
  short: string;
}

const ZH: Record<MessageEvent, EventTexts> = {
  login_code: {
    subject: '您的登录验证码',
    mail: '您的登录验证码是 {{code}}，{{minutes}} 分钟内有效。\n如果不是您本人操作，请忽略本邮件。',
    short: '您的登录验证码是{{code}}，{{minutes}}分钟内有效，请勿告诉他人。',
  },
  invitation: {
    subject: '欢迎使用售后服务门户',
    mail: '{{customerName}}，您好：\n\n我们为您开通了售后服务门户。您可以在这里提交服务请求、查看处理进度、确认解决方案：\n{{link}}\n\n登录时输入您的手机号或邮箱，我们会发送验证码。',
    short: '{{customerName}}，您好，我们为您开通了售后服务门户：{{link}}',
  },
  ticket_registered: {
    subject: '已受理您的服务请求 {{number}}',
    mail: '{{customerName}}，您好：\n\n我们已受理您的服务请求“{{title}}”，编号 {{number}}。\n您可以随时查看处理进度：\n{{link}}',
    short: '已受理您的服务请求，编号{{number}}，查看进度：{{link}}',
  },
  ticket_assigned: {
    subject: '您的服务请求 {{number}} 已安排专人处理',
    mail: '{{customerName}}，您好：\n\n您的服务请求“{{title}}”（编号 {{number}}）已由 {{engineerName}} 负责处理。\n查看进度：\n{{link}}',
    short: '您的服务请求{{number}}已由{{engineerName}}负责处理，进度：{{link}}',
  },
  engineer_on_the_way: {
    subject: '工程师正在前往：{{number}}',
    mail: '{{customerName}}，您好：\n\n工程师 {{engineerName}} 已出发前往，为您处理服务请求“{{title}}”（编号 {{number}}）。\n查看进度：\n{{link}}',
    short: '工程师{{engineerName}}已出发，为您处理服务请求{{number}}，进度：{{link}}',
  },
  staff_reply: {
    subject: '您的服务请求 {{number}} 有新回复',
    mail: '{{customerName}}，您好：\n\n关于您的服务请求“{{title}}”（编号 {{number}}），我们的回复：\n\n{{reply}}\n\n查看全部记录或回复：\n{{link}}',
    short: '您的服务请求{{number}}有新回复，请查看：{{link}}',
  },
  solution_pending: {
    subject: '请确认解决方案：{{number}}',
    mail: '{{customerName}}，您好：\n\n您的服务请求“{{title}}”（编号 {{number}}）的解决方案：\n\n{{solution}}\n\n请告诉我们问题是否已解决：\n{{link}}',
    short: '您的服务请求{{number}}已有解决方案，请确认是否解决：{{link}}',
  },
  ticket_reopened: {
    subject: '您的服务请求 {{number}} 已重新处理',
    mail: '{{customerName}}，您好：\n\n您的服务请求“{{title}}”（编号 {{number}}）已重新打开，我们会尽快给出改进方案。\n查看进度：\n{{link}}',
    short: '您的服务请求{{number}}已重新打开，我们会尽快处理：{{link}}',
  },
  ticket_closed: {
    subject: '您的服务请求 {{number}} 已关闭，请评价我们的服务',
    mail: '{{customerName}}，您好：\n\n您的服务请求“{{title}}”（编号 {{number}}）已关闭。感谢您的耐心！\n请花一分钟评价本次服务：\n{{surveyLink}}\n\n服务记录：\n{{link}}',
    short: '您的服务请求{{number}}已关闭，请评价本次服务：{{surveyLink}}',
  },
  appointment_booked: {
    subject: '上门服务预约：{{number}}',
    mail: '{{customerName}}，您好：\n\n我们已为您的服务请求“{{title}}”（编号 {{number}}）预约上门服务：{{appointmentTime}}，工程师 {{engineerName}}。\n查看详情：\n{{link}}',
    short: '已预约上门服务：{{appointmentTime}}，工程师{{engineerName}}，服务请求{{number}}：{{link}}',
  },
  appointment_changed: {
    subject: '上门服务时间变更：{{number}}',
    mail: '{{customerName}}，您好：\n\n您的服务请求“{{title}}”（编号 {{number}}）的上门服务改为 {{appointmentTime}}，工程师 {{engineerName}}。\n原因：{{reason}}\n查看详情：\n{{link}}',
    short: '上门服务时间改为{{appointmentTime}}（{{reason}}），服务请求{{number}}：{{link}}',
  },
  care_check_due: {
    subject: '您的{{productName}}已使用满两年，可预约免费检修',
    mail: '{{customerName}}，您好：\n\n您的{{productName}}（序列号 {{serialNumber}}）已使用满两年。为保证设备良好运行，我们为您提供一次免费检修，欢迎预约：\n{{link}}',
    short: '您的{{productName}}已使用满两年，可预约一次免费检修：{{link}}',
  },
  warranty_ending: {
    subject: '您的{{productName}}保修将于 {{warrantyEnd}} 到期',
    mail: '{{customerName}}，您好：\n\n您的{{productName}}（序列号 {{serialNumber}}）的保修将于 {{warrantyEnd}} 到期。到期前如有任何问题，欢迎提交服务请求：\n{{link}}',
    short: '您的{{productName}}保修将于{{warrantyEnd}}到期，如有问题请在到期前联系我们：{{link}}',
  },
  rma_approved: {
    subject: '您的{{rmaKind}}申请已通过：{{number}}',
    mail: '{{customerName}}，您好：\n\n您在服务请求“{{title}}”（编号 {{number}}）中的{{rmaKind}}申请（RMA-{{rmaId}}）已审核通过。\n请按页面上的说明寄回商品，并在寄出后告诉我们快递单号：\n{{link}}',
    short: '您的{{rmaKind}}申请RMA-{{rmaId}}已通过，服务请求{{number}}，寄回说明：{{link}}',
  },
  rma_rejected: {
    subject: '您的{{rmaKind}}申请未通过：{{number}}',
    mail: '{{customerName}}，您好：\n\n很抱歉，您在服务请求“{{title}}”（编号 {{number}}）中的{{rmaKind}}申请（RMA-{{rmaId}}）未能通过。\n原因：{{reason}}\n如有疑问，请在服务请求中回复我们：\n{{link}}',
    short: '您的{{rmaKind}}申请RMA-{{rmaId}}未通过（{{reason}}），服务请求{{number}}：{{link}}',
  },
  rma_shipped: {
    subject: '商品已寄出：{{number}}',
    mail: '{{customerName}}，您好：\n\n您的{{rmaKind}}（RMA-{{rmaId}}，服务请求 {{number}}）商品已寄出：{{carrier}} {{trackingNumber}}。\n查看详情：\n{{link}}',
    short: '您的{{rmaKind}}商品已寄出：{{carrier}} {{trackingNumber}}，服务请求{{number}}：{{link}}',
  },
  rma_completed: {
    subject: '您的{{rmaKind}}已办结：{{number}}',
    mail: '{{customerName}}，您好：\n\n您的{{rmaKind}}（RMA-{{rmaId}}，服务请求“{{title}}”，编号 {{number}}）已办结：{{outcome}}。\n查看详情：\n{{link}}',
    short: '您的{{rmaKind}}RMA-{{rmaId}}已办结：{{outcome}}，服务请求{{number}}：{{link}}',
  },
};

const EN: Record<MessageEvent, EventTexts> = {
  login_code: {
    subject: 'Your sign-in code',
    mail: 'Your sign-in code is {{code}}. It is valid for {{minutes}} minutes.\nIf you did not ask for it, ignore this message.',
    short: 'Your sign-in code is {{code}}, valid for {{minutes}} minutes. Do not share it.',
  },
  invitation: {
    subject: 'Welcome to the service portal',
    mail: 'Hello {{customerName}},\n\nWe have opened a service portal account for you. Submit requests, follow their progress and confirm solutions here:\n{{link}}\n\nSign in with your phone number or e-mail address; we send you a code.',
    short: 'Hello {{customerName}}, your service portal is ready: {{link}}',
  },
  ticket_registered: {
    subject: 'We have your request {{number}}',
    mail: 'Hello {{customerName}},\n\nWe have registered your request "{{title}}" as number {{number}}.\nFollow its progress here:\n{{link}}',
    short: 'We have your request, number {{number}}. Progress: {{link}}',
  },
  ticket_assigned: {
    subject: 'Your request {{number}} has been assigned',
    mail: 'Hello {{customerName}},\n\n{{engineerName}} is now handling your request "{{title}}" ({{number}}).\nProgress:\n{{link}}',
    short: '{{engineerName}} is handling your request {{number}}. Progress: {{link}}',
  },
  engineer_on_the_way: {
    subject: 'Our engineer is on the way: {{number}}',
    mail: 'Hello {{customerName}},\n\nOur engineer {{engineerName}} is on the way for your request "{{title}}" ({{number}}).\nProgress:\n{{link}}',
    short: 'Engineer {{engineerName}} is on the way for request {{number}}: {{link}}',
  },
  staff_reply: {
    subject: 'New reply on your request {{number}}',
    mail: 'Hello {{customerName}},\n\nOur reply on your request "{{title}}" ({{number}}):\n\n{{reply}}\n\nSee the whole conversation or answer:\n{{link}}',
    short: 'New reply on your request {{number}}: {{link}}',
  },
  solution_pending: {
    subject: 'Please confirm the solution: {{number}}',
    mail: 'Hello {{customerName}},\n\nThe solution for your request "{{title}}" ({{number}}):\n\n{{solution}}\n\nPlease tell us whether it solved your problem:\n{{link}}',
    short: 'Your request {{number}} has a solution. Please confirm: {{link}}',
  },
  ticket_reopened: {
    subject: 'Your request {{number}} is being worked on again',
    mail: 'Hello {{customerName}},\n\nYour request "{{title}}" ({{number}}) has been reopened; we will come back with an improved plan soon.\nProgress:\n{{link}}',
    short: 'Your request {{number}} was reopened; we are on it: {{link}}',
  },
  ticket_closed: {
    subject: 'Your request {{number}} is closed — how did we do?',
    mail: 'Hello {{customerName}},\n\nYour request "{{title}}" ({{number}}) is closed. Thank you for your patience!\nPlease take a minute to rate our service:\n{{surveyLink}}\n\nThe record of your request:\n{{link}}',
    short: 'Your request {{number}} is closed. Please rate our service: {{surveyLink}}',
  },
  appointment_booked: {
    subject: 'Visit booked: {{number}}',
    mail: 'Hello {{customerName}},\n\nWe have booked a visit for your request "{{title}}" ({{number}}): {{appointmentTime}}, engineer {{engineerName}}.\nDetails:\n{{link}}',
    short: 'Visit booked for {{appointmentTime}}, engineer {{engineerName}}, request {{number}}: {{link}}',
  },
  appointment_changed: {
    subject: 'Visit rescheduled: {{number}}',
    mail: 'Hello {{customerName}},\n\nThe visit for your request "{{title}}" ({{number}}) is now {{appointmentTime}}, engineer {{engineerName}}.\nReason: {{reason}}\nDetails:\n{{link}}',
    short: 'Visit moved to {{appointmentTime}} ({{reason}}), request {{number}}: {{link}}',
  },
  care_check_due: {
    subject: 'Your {{productName}} is two years old: book a free check',
    mail: 'Hello {{customerName}},\n\nYour {{productName}} (serial {{serialNumber}}) has been in use for two years. To keep it running well we offer you a free check; book it here:\n{{link}}',
    short: 'Your {{productName}} is two years old: book a free check: {{link}}',
  },
  warranty_ending: {
    subject: 'The warranty of your {{productName}} ends on {{warrantyEnd}}',
    mail: 'Hello {{customerName}},\n\nThe warranty of your {{productName}} (serial {{serialNumber}}) ends on {{warrantyEnd}}. If anything is wrong with it, tell us before then:\n{{link}}',
    short: 'The warranty of your {{productName}} ends on {{warrantyEnd}}; tell us of any problem before then: {{link}}',
  },
  rma_approved: {
    subject: 'Your {{rmaKind}} request is approved: {{number}}',
    mail: 'Hello {{customerName}},\n\nYour {{rmaKind}} request (RMA-{{rmaId}}) on "{{title}}" ({{number}}) is approved.\nPlease send the goods back as described on the page and tell us the tracking number once shipped:\n{{link}}',
    short: 'Your {{rmaKind}} request RMA-{{rmaId}} is approved, request {{number}}. How to send it: {{link}}',
  },
  rma_rejected: {
    subject: 'Your {{rmaKind}} request was not approved: {{number}}',
    mail: 'Hello {{customerName}},\n\nWe are sorry: your {{rmaKind}} request (RMA-{{rmaId}}) on "{{title}}" ({{number}}) was not approved.\nReason: {{reason}}\nIf you have questions, answer us on your request:\n{{link}}',
    short: 'Your {{rmaKind}} request RMA-{{rmaId}} was not approved ({{reason}}), request {{number}}: {{link}}',
  },
  rma_shipped: {
    subject: 'On its way to you: {{number}}',
    mail: 'Hello {{customerName}},\n\nThe goods of your {{rmaKind}} (RMA-{{rmaId}}, request {{number}}) are on their way: {{carrier}} {{trackingNumber}}.\nDetails:\n{{link}}',
    short: 'Your {{rmaKind}} is on its way: {{carrier}} {{trackingNumber}}, request {{number}}: {{link}}',
  },
  rma_completed: {
    subject: 'Your {{rmaKind}} is complete: {{number}}',
    mail: 'Hello {{customerName}},\n\nYour {{rmaKind}} (RMA-{{rmaId}}) on "{{title}}" ({{number}}) is complete: {{outcome}}.\nDetails:\n{{link}}',
    short: 'Your {{rmaKind}} RMA-{{rmaId}} is complete: {{outcome}}, request {{number}}: {{link}}',
  },
};

const TEXTS: Record<Language, Record<MessageEvent, EventTexts>> = { 'zh-CN': ZH, en: EN };

/** The built-in template of an event on a channel in a language. */
export function defaultTemplate(event: MessageEvent, channel: MessageChannel, locale: Language): TemplateText {
  const t = TEXTS[locale][event];
  return { subject: t.subject, body: channel === 'email' ? t.mail : t.short };
}

export function isEssential(event: MessageEvent): boolean {
  return ESSENTIAL_MESSAGE_EVENTS.includes(event);
}

const VARIABLE = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** The variables a text uses, in order of first use (Tencent's SMS takes its parameters in that order). */
export function templateVariables(text: string): string[] {
  const seen: string[] = [];
  for (const m of text.matchAll(VARIABLE)) if (!seen.includes(m[1])) seen.push(m[1]);
  return seen;
}

export type TemplateProblem = { kind: 'unknown_variables'; names: string[] } | { kind: 'syntax' };

/** What is wrong with a text an admin wrote for this event: variables it does not have, or stray braces. */
export function checkTemplate(event: MessageEvent, text: string): TemplateProblem | null {
  const allowed = MESSAGE_VARIABLES[event];
  const unknown = templateVariables(text).filter((v) => !allowed.includes(v));
  if (unknown.length > 0) return { kind: 'unknown_variables', names: unknown };
  if (/\{\{|\}\}/.test(text.replace(VARIABLE, ''))) return { kind: 'syntax' };
  return null;
}

/** Fills the variables in; a variable without a value becomes empty (never the raw {{name}}). */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(VARIABLE, (_, name: string) => vars[name] ?? '');
}

/** The line that ends a non-essential message, with the unsubscribe link. */
export function unsubscribeFooter(channel: MessageChannel, locale: Language, link: string): string {
  if (channel === 'email') return locale === 'en' ? `\n\n—\nTo stop messages like this one: ${link}` : `\n\n—\n不想再收到此类消息：${link}`;
  return locale === 'en' ? ` Unsubscribe: ${link}` : ` 退订：${link}`;
}

/** Example values for an admin's preview. */
export function sampleVariables(locale: Language): Record<string, string> {
  const zh = locale === 'zh-CN';
  return {
    code: '482913',
    minutes: '10',
    customerName: zh ? '王女士' : 'Ms Wang',
    number: '202611001',
    title: zh ? '洗衣机脱水时漏水' : 'Washing machine leaks when spinning',
    link: 'https://service.example.com/portal/t/…',
    surveyLink: 'https://service.example.com/portal/survey/…',
    engineerName: zh ? '李工' : 'Li Wei',
    reply: zh ? '请先检查进水管接口是否拧紧。' : 'Please first check that the inlet hose is screwed tight.',
    solution: zh ? '已更换排水泵，试机正常。' : 'The drain pump was replaced; the test run was fine.',
    appointmentTime: zh ? '11月25日 14:00–16:00' : '25 Nov 14:00–16:00',
    reason: zh ? '工程师前一单延误' : 'the previous visit ran late',
  };
}
