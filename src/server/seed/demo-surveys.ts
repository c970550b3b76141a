// Demo satisfaction answers (issue 15): what customers of closed demo tickets answered, in their own words about their
// own product and problem, and what the supervisor's follow-up call (回访) found for the unhappy ones — written through
// the surveys service, with draws from the ticket's own generator, so the demo stays the same from one seeding to the next.
import type { SurveyAnswerBody } from '../../shared/surveys.js';
import type { Actor } from '../domain/access.js';
import type { Services } from '../services.js';
import { chance, int, nounFor, pick, weighted, type DemoProductRef, type Rng } from './demo-content.js';

/** Words about a ticket: the product's name in the customer's mouth (空调, 洗衣机 …) and the problem (漏水 …). */
interface About {
  noun: string;
  fault: string;
}

const COMMENTS: Record<number, ((a: About) => string)[]> = {
  5: [
    (a) => `师傅很专业，${a.noun}修好了，现在用着很正常，谢谢！`,
    (a) => `上门很准时，${a.fault}的问题一次就解决了，走之前还把地面收拾干净了。`,
    () => '客服回复及时，工程师讲解很耐心，给五星。',
    (a) => `当天就联系上门，比预想的快很多，${a.noun}恢复正常了，点赞。`,
    () => '全程有人跟进，每一步都提前电话说明，服务很贴心。',
  ],
  4: [
    (a) => `${a.noun}修好了，师傅态度不错，就是配件等了两天。`,
    () => '整体满意，预约时间能再灵活一点就更好了。',
    () => '处理得挺好，只是电话里重复说明了好几次情况。',
    (a) => `${a.fault}的问题解决了，上门前如果能提前半小时打个电话就更好了。`,
  ],
  3: [
    () => '问题算是解决了，但前后跑了两趟，耽误了不少时间。',
    (a) => `${a.fault}暂时好了，不知道会不会再出现，先观察一段时间。`,
    () => '客服态度可以，处理速度一般。',
  ],
  2: [
    (a) => `等了三天才有人联系，${a.noun}${a.fault}的问题拖了很久。`,
    () => '师傅上门迟到了两个小时，也没有提前说一声。',
    (a) => `修完没两天${a.noun}又开始${a.fault}，希望尽快再安排检查。`,
  ],
  1: [
    (a) => `非常失望，${a.noun}换了配件还是${a.fault}，打了好几次电话都没人跟进。`,
    (a) => `收了上门费却没把${a.noun}修好，要求退费并给个说法。`,
  ],
};

/** How likely to recommend us, given the score: happy customers mostly promote, unhappy ones do not. */
const NPS_RANGE: Record<number, [number, number]> = { 5: [8, 10], 4: [7, 9], 3: [4, 8], 2: [1, 5], 1: [0, 3] };

/**
 * The answer a demo customer gives, or null for one who never answers (about a third: sent, not answered). Scores
 * lean high, as real after-sales surveys do, with a few low ones that open a follow-up call.
 */
export function demoSurveyAnswer(rng: Rng, product: DemoProductRef, fault: string): SurveyAnswerBody | null {
  if (chance(rng, 0.35)) return null;
  const score = weighted(rng, [
    [5, 54],
    [4, 29],
    [3, 10],
    [2, 5],
    [1, 2],
  ] as const);
  const [lo, hi] = NPS_RANGE[score];
  const nps = int(rng, lo, hi);
  // Happy customers often leave no comment; unhappy ones nearly always say why.
  const comment = chance(rng, score >= 4 ? 0.55 : 0.95) ? pick(rng, COMMENTS[score])({ noun: nounFor(product), fault }) : undefined;
  return { score, nps, comment, answers: {} };
}

export type DemoFollowUpOutcome = 'resolved' | 'not_resolved' | 'unreachable';

/** What the supervisor's call found: mostly put right, sometimes a second visit, sometimes nobody answers. */
export function demoFollowUpFinding(rng: Rng, product: DemoProductRef, fault: string): { outcome: DemoFollowUpOutcome; finding: string } {
  const noun = nounFor(product);
  const outcome = weighted(rng, [
    ['resolved', 70],
    ['not_resolved', 20],
    ['unreachable', 10],
  ] as const);
  const finding =
    outcome === 'resolved'
      ? pick(rng, [
          `已致电客户致歉并说明延误原因；客户确认${noun}使用正常，表示理解`,
          `与客户核实：${fault}没有再出现，客户对补偿方案满意`,
          `电话回访客户，解释了配件等待时间，已赠送一次免费保养，客户接受`,
        ])
      : outcome === 'not_resolved'
        ? pick(rng, [`客户反映${noun}仍有${fault}，已安排工程师二次上门检查`, `客户仍不认可处理结果，已升级至部门经理跟进${noun}的问题`])
        : '连续两天三次致电未接通，已发短信请客户方便时回电';
  return { outcome, finding };
}

const DAY = 24 * 3600_000;
/** The follow-ups of the last days' answers are not made yet: the console's list shows them with their clocks. */
const OPEN_DAYS = 8;

export interface DemoSurveyTicket {
  ticket: { id: number; number: string };
  /** The demo customer's account for their own tickets (answers from the portal); others answer by the signed link. */
  customerActor: Actor | null;
  supervisor: Actor;
  /** Records a complaint's follow-up together with its second review (the solution's reviewer may not). */
  director: Actor;
  rng: Rng;
  product: DemoProductRef;
  fault: string;
  /** Moves the ticket's simulated clock on by a random number of hours. */
  step: (minHours: number, maxHours: number) => void;
  realNow: number;
}

/**
 * The closing sent the ticket's survey; about two customers in three answer it within two days. A low answer opens the
 * follow-up call (回访), which the supervisor has made unless the answer came in the last OPEN_DAYS days.
 */
export async function answerDemoSurvey(services: Services, d: DemoSurveyTicket): Promise<void> {
  const answer = demoSurveyAnswer(d.rng, d.product, d.fault);
  if (!answer) return;
  d.step(0.5, 40);
  if (d.customerActor) await services.surveys.portalAnswer(d.customerActor, d.ticket.number, answer, 'zh-CN');
  else await services.surveys.publicAnswer(await services.links.token('survey', d.ticket.id), answer, 'zh-CN');
  const answeredAt = services.ctx.clock.now();
  if (answeredAt > d.realNow - OPEN_DAYS * DAY) return;
  const followUp = (await services.surveys.forTicket(d.supervisor, d.ticket.number))?.followUp;
  if (!followUp) return;
  d.step(0.5, 10);
  const { outcome, finding } = demoFollowUpFinding(d.rng, d.product, d.fault);
  const verdict = outcome === 'resolved' ? 'upheld' : 'service_failure';
  await services.surveys.followUps.close(followUp.verdictRequired ? d.director : d.supervisor, followUp.id, { outcome, finding, ...(followUp.verdictRequired ? { verdict } : {}) });
}
