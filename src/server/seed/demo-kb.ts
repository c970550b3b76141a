// Demo knowledge base: public self-help articles for the demo products' common faults (the seeds' 常见问题), a few in
// English, and internal ones the team keeps for itself. Written through KbService, so revisions, passages and the
// search index are the real thing; two articles get a second revision so the history and diff have something to show.
import type { KbArticleCreateBody } from '../../shared/kb.js';
import type { Actor } from '../domain/access.js';
import type { Services } from '../services.js';

type Demo = Omit<KbArticleCreateBody, 'summary' | 'tags' | 'productLine'> & { summary: string; tags: string[]; productLine: string | null };

export const DEMO_ARTICLES: Demo[] = [
  {
    title: '空调室内机漏水怎么办',
    summary: '室内机滴水多半是排水管堵塞、弯折或安装不水平，先按步骤自查。',
    body: '## 常见原因\n\n- 排水管被压扁、弯折或出口被堵\n- 过滤网太脏，蒸发器结霜后化水溢出\n- 室内机安装不水平，冷凝水流不到排水口\n\n## 自己可以先做的\n\n1. 关机并拔掉电源。\n2. 到室外看排水管出口：制冷运行时应有水流出；没有水时检查管子有没有被压扁或插进积水里。\n3. 取下过滤网用清水冲洗，晾干后装回。\n4. 重新开机制冷 30 分钟，观察是否还滴水。\n\n## 需要上门的情况\n\n按以上步骤后仍然漏水，或者水从机身侧面、顶部渗出，请提交服务请求，工程师会上门检查排水坡度和接水盘。保修期内免费。',
    category: 'troubleshooting',
    tags: ['漏水', '排水管', '滤网'],
    productLine: 'ac',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '空调不制冷、吹热风的自查步骤',
    summary: '先确认模式、温度和滤网，再看外机是否运转。',
    body: '## 先检查设置\n\n1. 遥控器模式是否为“制冷”（雪花图标），设定温度是否低于室温。\n2. 是否开启了“睡眠”或“节能”模式，这两种模式下制冷较弱。\n\n## 再检查机器\n\n1. 清洗过滤网：脏堵会让出风量明显下降。\n2. 看外机：风扇不转或压缩机不启动，多为电源或电容问题，请报修。\n3. 外机周围 50 厘米内不要堆放杂物，出风口不能被遮挡。\n\n新装空调开机半小时仍不制冷，可能是冷媒不足或管路漏点，请提交服务请求。',
    category: 'troubleshooting',
    tags: ['不制冷', '热风'],
    productLine: 'ac',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '产品保修期多久？保修政策说明',
    summary: '各品类的整机和主要部件保修期限，以及保修需要的凭证。',
    body: '## 保修期限\n\n| 品类 | 整机 | 主要部件 |\n|---|---|---|\n| 空调 | 6 年 | 压缩机 10 年 |\n| 冰箱 | 3 年 | 压缩机 10 年 |\n| 洗衣机 | 2–3 年 | 电机 10 年 |\n| 热水器 | 3–4 年 | 内胆 8 年 |\n| 净水器 | 2 年 | 滤芯为耗材，不在保修范围 |\n| 扫地机器人 | 1 年 | 电池 1 年 |\n| 笔记本电脑 | 2 年 | — |\n\n保修期从购买日期（以发票或电子订单为准）开始计算；需要安装的产品，从安装日期开始计算。\n\n## 需要的凭证\n\n请保留购买发票或电子订单截图，报修时提供产品序列号（机身铭牌或包装上的 SN）。\n\n## 不在保修范围\n\n人为损坏、自行拆修、进水和不可抗力造成的损坏。',
    category: 'policy',
    tags: ['保修', '三包', '发票'],
    productLine: null,
    visibility: 'public',
    status: 'published',
  },
  {
    title: '滚筒洗衣机不排水、显示 E21 / E4',
    summary: '多为排水泵过滤器被线头、硬币堵住，可以自己清理。',
    body: '## 清理排水泵过滤器\n\n1. 断电，在机器右下角的小门下方放一个浅盆和毛巾。\n2. 先拔出小软管放掉余水，再逆时针拧下过滤器。\n3. 清除线头、硬币、纽扣等杂物，冲洗后装回拧紧。\n\n## 检查排水管\n\n排水管出口高度不要超过 1 米，管子不能弯折或伸入地漏太深。\n\n清理后仍报错，请提交服务请求。',
    category: 'troubleshooting',
    tags: ['不排水', 'E4', '过滤器'],
    productLine: 'washer',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '洗衣机脱水时震动、噪音大',
    summary: '新机先拆运输螺栓；用了一段时间的，先调平、再把衣物分散。',
    body: '1. 新机：确认背面的 3–4 颗运输螺栓已全部拆下。\n2. 调平：用水平尺放在机顶，旋转底脚直到水平，再锁紧底脚螺母。\n3. 衣物：单件大件（如被罩）容易偏心，和小件一起洗或减少投放量。\n4. 地面：放在坚实平整的地面上，不要垫泡沫或放在架子上。\n\n仍然剧烈震动或有金属撞击声，可能是减震器或轴承问题，请报修。',
    category: 'troubleshooting',
    tags: ['震动', '噪音', '脱水'],
    productLine: 'washer',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '燃气热水器点火后熄火、显示 E4',
    summary: '多为水压低、燃气不足或烟道不畅，先检查这三项。',
    body: '## 可以先检查\n\n1. 燃气阀是否全开；用气高峰时燃气压力偏低会熄火。\n2. 水压：把水龙头开大一些，花洒堵塞也会让水流太小。\n3. 烟道：排烟管是否脱落或被遮挡。\n\n## 注意\n\n闻到燃气味时，**立即关闭燃气总阀，打开门窗，不要开关任何电器**，到室外拨打燃气公司电话，再提交服务请求。',
    category: 'troubleshooting',
    tags: ['熄火', 'E4', '燃气'],
    productLine: 'water_heater',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '电热水器不加热',
    summary: '确认电源与温控设置，长期未用的先排空再加热。',
    body: '1. 检查插座是否有电、漏电保护插头是否跳开（按一下复位键）。\n2. 确认设定温度高于当前水温，未处于“预约”或“节能”模式。\n3. 长时间不用的热水器，先放掉存水再重新加热。\n\n复位后很快又跳闸，说明可能漏电，**请停止使用**并提交服务请求。',
    category: 'troubleshooting',
    tags: ['不加热', '跳闸'],
    productLine: 'water_heater',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '净水器滤芯多久换一次？怎么更换',
    summary: 'PP 棉 6–12 个月，活性炭 12 个月，RO 膜 24–36 个月；更换后要复位提醒。',
    body: '## 更换周期（按每天 10 升用水）\n\n- PP 棉：6–12 个月\n- 活性炭：12 个月\n- RO 反渗透膜：24–36 个月\n\n水质差的地区要缩短周期。TDS 值明显升高也说明 RO 膜需要更换。\n\n## 更换步骤\n\n1. 关闭进水阀，断电。\n2. 逆时针旋下旧滤芯，顺时针装上新滤芯。\n3. 打开进水阀，冲洗 5 分钟后再饮用。\n4. 长按“复位”键 5 秒，滤芯寿命提示灯熄灭。',
    category: 'manual',
    tags: ['滤芯', '更换', 'TDS'],
    productLine: 'purifier',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '扫地机器人无法回充',
    summary: '充电座位置和触点是最常见的原因。',
    body: '1. 充电座两侧各留 0.5 米、前方留 1.5 米空地，靠墙放置，不要放在镜子或落地窗旁。\n2. 用干布擦拭机器底部和充电座的金属触点。\n3. 在 App 里确认地图上的充电座位置正确；重新放置后让机器人重新建图。\n\n电池使用超过 2 年续航明显下降，可以联系售后更换电池。',
    category: 'troubleshooting',
    tags: ['回充', '充电座'],
    productLine: 'robot',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '冰箱冷冻室结霜严重',
    summary: '门封不严和频繁开门是主因；风冷冰箱结霜要报修。',
    body: '1. 检查门封条：关门时夹一张纸，能轻松抽出说明门封不严，可用热毛巾敷一下门封让它复原。\n2. 减少开门次数和时间，热的食物放凉后再放入。\n3. 直冷冰箱结霜超过 5 毫米时断电除霜。\n\n风冷（无霜）冰箱出现结霜，多为化霜加热器或传感器故障，请提交服务请求。',
    category: 'troubleshooting',
    tags: ['结霜', '门封条'],
    productLine: 'fridge',
    visibility: 'public',
    status: 'published',
  },
  {
    title: 'How long is the warranty?',
    summary: 'Warranty periods by product line, and what proof you need.',
    body: 'Air conditioners: 6 years for the whole unit and 10 years for the compressor. Refrigerators: 3 years (compressor 10 years). Washing machines: 2–3 years. Water heaters: 3–4 years. Water purifiers: 2 years; filter cartridges are consumables. Robot vacuums and laptops: 1–2 years.\n\nThe warranty starts on the purchase date on your invoice, or on the installation date for installed products. Keep the invoice or the order screenshot, and give the serial number (SN) on the rating label when you ask for service.',
    category: 'policy',
    tags: ['warranty'],
    productLine: null,
    visibility: 'public',
    status: 'published',
  },
  {
    title: 'Water purifier: how to reset the filter reminder',
    summary: 'After replacing a cartridge, reset the reminder so it counts again.',
    body: '1. Close the inlet valve and unplug the purifier.\n2. Replace the cartridge (turn the old one anticlockwise, the new one clockwise).\n3. Open the valve and flush for 5 minutes.\n4. Hold **Reset** for 5 seconds until the filter light goes out.',
    category: 'manual',
    tags: ['filter', 'reset'],
    productLine: 'purifier',
    visibility: 'public',
    status: 'published',
  },
  {
    title: '空调漏水上门处理规范（内部）',
    summary: '工程师上门处理漏水的检查顺序与收费口径。',
    body: '## 检查顺序\n\n1. 排水管坡度与出口；2. 接水盘是否开裂；3. 室内机水平；4. 铜管保温棉是否破损（冷凝水沿管滴落）。\n\n## 收费口径\n\n- 保修期内：排水问题、接水盘更换免费。\n- 保修期外：排水管加长 50 元/米，接水盘 80 元（含工）。\n- 同一问题 30 天内返修不收费，并登记为返修单（复报率考核）。',
    category: 'policy',
    tags: ['漏水', '收费'],
    productLine: 'ac',
    visibility: 'internal',
    status: 'published',
  },
  {
    title: '热水器漏电报修：必须当天上门（内部）',
    summary: '涉及人身安全的报修一律按 P1 处理。',
    body: '客户反映热水器漏电、洗澡时有麻感：登记为 P1，电话告知客户立即断电停用，当天安排工程师上门，带漏电测试仪。回访时确认客户已恢复正常使用。',
    category: 'policy',
    tags: ['漏电', '安全'],
    productLine: 'water_heater',
    visibility: 'internal',
    status: 'published',
  },
  {
    title: '洗烘一体机烘不干（草稿）',
    summary: '整理中：冷凝器积絮、投放量过大。',
    body: '待补充：冷凝器清洁步骤的图片。\n\n1. 烘干量不超过洗涤量的一半。\n2. 清理门封和冷凝器的绒絮。',
    category: 'troubleshooting',
    tags: ['烘不干'],
    productLine: 'washer',
    visibility: 'public',
    status: 'draft',
  },
];

export async function seedDemoKb(services: Services, editor: Actor, author: Actor): Promise<number> {
  const existing = await services.ctx.db.read.selectFrom('kb_articles').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const ids: number[] = [];
  for (const a of DEMO_ARTICLES) {
    const writer = a.visibility === 'public' && a.status === 'published' ? editor : author;
    ids.push((await services.kb.create(writer, { ...a, note: undefined })).id);
  }
  // A second revision on two articles, so the history and its diff show something real.
  const leak = await services.kb.get(editor, ids[0]);
  await services.kb.update(editor, ids[0], { version: leak.version, body: `${leak.body}\n\n> 提示：每 2–3 个月清洗一次过滤网，可以明显减少漏水和异味。`, note: '补充日常保养提示' });
  const warranty = await services.kb.get(editor, ids[2]);
  await services.kb.update(editor, ids[2], { version: warranty.version, tags: ['保修', '三包', '发票', '延保'], note: '加标签“延保”' });
  return ids.length;
}
