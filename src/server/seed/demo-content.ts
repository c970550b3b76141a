// Realistic Chinese demo data for Aftercare, as pure deterministic code: no IO, no database.
// Everything random is drawn from a seeded PRNG, so the same seed always yields the same data.
import type { Channel, CustomerTier, FaultClass, Priority, ServiceType } from '../../shared/enums.js';
import type { TicketCreateBody } from '../../shared/schemas.js';

// ---------------------------------------------------------------- PRNG and helpers

export type Rng = () => number;

/** mulberry32: a small, fast seeded PRNG returning numbers in [0, 1). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max], both inclusive. */
export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from empty list');
  return items[Math.floor(rng() * items.length)];
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** Picks an item with probability proportional to its weight. */
export function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = rng() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1][0];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

// ---------------------------------------------------------------- products

export interface DemoProduct {
  model: string;
  name: string;
  line: string;
  warrantyMonths: number;
}

export const DEMO_PRODUCTS: DemoProduct[] = [
  { model: 'KFR-35GW/BP3DN8Y', name: '变频挂壁式空调 1.5匹', line: 'ac', warrantyMonths: 72 },
  { model: 'KFR-26GW/BP3DN8Y', name: '变频挂壁式空调 大1匹', line: 'ac', warrantyMonths: 72 },
  { model: 'KFR-72LW/BP2DN1Y', name: '变频立柜式空调 3匹', line: 'ac', warrantyMonths: 72 },
  { model: 'RFC120MXS', name: '家用中央空调 5匹一拖四', line: 'ac', warrantyMonths: 72 },
  { model: 'BCD-470WDPG', name: '十字对开门风冷冰箱 470升', line: 'fridge', warrantyMonths: 36 },
  { model: 'BCD-218TMPS', name: '三门直冷冰箱 218升', line: 'fridge', warrantyMonths: 36 },
  { model: 'XQG100-BD14126L', name: '滚筒洗衣机 10公斤', line: 'washer', warrantyMonths: 36 },
  { model: 'XQB80-Z3558', name: '波轮洗衣机 8公斤', line: 'washer', warrantyMonths: 24 },
  { model: 'XQG100-HBD14756U1', name: '洗烘一体机 10公斤', line: 'washer', warrantyMonths: 36 },
  { model: 'ES60H-MC5', name: '储水式电热水器 60升', line: 'water_heater', warrantyMonths: 48 },
  { model: 'ES80H-GD3', name: '储水式电热水器 80升', line: 'water_heater', warrantyMonths: 48 },
  { model: 'JSQ25-13WD5', name: '恒温燃气热水器 13升', line: 'water_heater', warrantyMonths: 36 },
  { model: 'HRO5019-4', name: '反渗透净水器 500G', line: 'purifier', warrantyMonths: 24 },
  { model: 'HRO7519-5', name: '厨下式净水器 750G', line: 'purifier', warrantyMonths: 24 },
  { model: 'RV-T8 Pro', name: '扫地机器人 T8 Pro', line: 'robot', warrantyMonths: 12 },
  { model: 'RV-X10', name: '扫拖一体机器人 X10', line: 'robot', warrantyMonths: 12 },
  { model: 'AX14-Pro', name: 'AX14 Pro 14英寸轻薄笔记本', line: 'laptop', warrantyMonths: 24 },
  { model: 'AX16-G7', name: 'AX16 G7 16英寸游戏本', line: 'laptop', warrantyMonths: 24 },
  { model: 'R740-S', name: '2U双路机架式服务器', line: 'server', warrantyMonths: 36 },
  { model: 'R540-S', name: '2U单路机架式服务器', line: 'server', warrantyMonths: 36 },
  { model: 'T350-S', name: '塔式服务器', line: 'server', warrantyMonths: 36 },
  { model: 'PM-9000A', name: '多参数病人监护仪', line: 'medical', warrantyMonths: 24 },
  { model: 'PM-7000M', name: '便携式病人监护仪', line: 'medical', warrantyMonths: 24 },
  { model: 'PM-12T', name: '转运监护仪', line: 'medical', warrantyMonths: 24 },
  { model: 'ERP-Cloud 5.2', name: 'ERP企业资源计划云平台', line: 'software', warrantyMonths: 12 },
  { model: 'CRM-Pro 3.1', name: 'CRM客户关系管理系统', line: 'software', warrantyMonths: 12 },
  { model: 'WMS 4.0', name: 'WMS仓储管理系统', line: 'software', warrantyMonths: 12 },
];

const PHYSICAL_LINES = ['ac', 'fridge', 'washer', 'water_heater', 'purifier', 'robot', 'laptop', 'server', 'medical'];
/** Lines whose units are installed by us (the warranty starts at installation). */
export const INSTALLED_LINES = new Set(['ac', 'water_heater', 'purifier', 'server', 'medical', 'software']);

// ---------------------------------------------------------------- categories (SPEC §3)

export interface DemoCategory {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  sort: number;
}

export const CATEGORY_TREE: DemoCategory[] = [
  { code: 'product', parentCode: null, nameZh: '产品类', nameEn: 'Product', sort: 10 },
  { code: 'product.functional_fault', parentCode: 'product', nameZh: '功能故障', nameEn: 'Functional fault', sort: 10 },
  { code: 'product.hardware_damage', parentCode: 'product', nameZh: '硬件损坏', nameEn: 'Hardware damage', sort: 20 },
  { code: 'product.below_spec', parentCode: 'product', nameZh: '性能不达标', nameEn: 'Below specification', sort: 30 },
  { code: 'product.compatibility', parentCode: 'product', nameZh: '版本兼容', nameEn: 'Version compatibility', sort: 40 },
  { code: 'service', parentCode: null, nameZh: '服务类', nameEn: 'Service', sort: 20 },
  { code: 'service.attitude', parentCode: 'service', nameZh: '服务态度', nameEn: 'Staff attitude', sort: 10 },
  { code: 'service.response_speed', parentCode: 'service', nameZh: '响应速度', nameEn: 'Response speed', sort: 20 },
  { code: 'service.process', parentCode: 'service', nameZh: '流程繁琐', nameEn: 'Cumbersome process', sort: 30 },
  { code: 'service.broken_promise', parentCode: 'service', nameZh: '承诺未兑现', nameEn: 'Broken promise', sort: 40 },
  { code: 'logistics', parentCode: null, nameZh: '物流类', nameEn: 'Logistics', sort: 30 },
  { code: 'logistics.late_delivery', parentCode: 'logistics', nameZh: '配送延迟', nameEn: 'Late delivery', sort: 10 },
  { code: 'logistics.damaged', parentCode: 'logistics', nameZh: '商品破损', nameEn: 'Damaged goods', sort: 20 },
  { code: 'logistics.wrong_missing', parentCode: 'logistics', nameZh: '错发漏发', nameEn: 'Wrong or missing items', sort: 30 },
  { code: 'logistics.return_shipping', parentCode: 'logistics', nameZh: '退货物流', nameEn: 'Return shipping', sort: 40 },
  { code: 'other', parentCode: null, nameZh: '其他', nameEn: 'Other', sort: 40 },
  { code: 'other.consultation', parentCode: 'other', nameZh: '咨询', nameEn: 'Consultation', sort: 10 },
  { code: 'other.suggestion', parentCode: 'other', nameZh: '建议', nameEn: 'Suggestion', sort: 20 },
  // Seed 001 §二(二) "其他:咨询建议、需求反馈、合作投诉" (migration 0012 adds it to older databases).
  { code: 'other.requirement_feedback', parentCode: 'other', nameZh: '需求反馈', nameEn: 'Requirement feedback', sort: 25 },
  { code: 'other.cooperation', parentCode: 'other', nameZh: '合作投诉', nameEn: 'Partner complaint', sort: 30 },
];

/** Codes of the categories that have no children (the ones tickets are filed under). */
export const CATEGORY_LEAF_CODES: string[] = CATEGORY_TREE.filter(
  (c) => !CATEGORY_TREE.some((d) => d.parentCode === c.code),
).map((c) => c.code);

// ---------------------------------------------------------------- people, places

const SURNAMES: readonly (readonly [string, string])[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'],
  ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'],
  ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['林', 'lin'], ['高', 'gao'], ['罗', 'luo'], ['郑', 'zheng'],
  ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'], ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'],
  ['邓', 'deng'], ['曹', 'cao'], ['彭', 'peng'], ['曾', 'zeng'], ['田', 'tian'], ['董', 'dong'], ['潘', 'pan'],
  ['袁', 'yuan'], ['蔡', 'cai'], ['蒋', 'jiang'], ['余', 'yu'], ['杜', 'du'], ['叶', 'ye'], ['程', 'cheng'],
  ['魏', 'wei'], ['苏', 'su'], ['吕', 'lv'], ['丁', 'ding'], ['任', 'ren'], ['沈', 'shen'], ['姚', 'yao'],
  ['卢', 'lu'], ['钟', 'zhong'], ['姜', 'jiang'], ['崔', 'cui'], ['谭', 'tan'], ['范', 'fan'], ['廖', 'liao'],
  ['石', 'shi'], ['金', 'jin'], ['欧阳', 'ouyang'], ['上官', 'shangguan'],
];
const MALE_GIVEN: readonly (readonly [string, string])[] = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['勇', 'yong'], ['杰', 'jie'], ['涛', 'tao'],
  ['明', 'ming'], ['超', 'chao'], ['刚', 'gang'], ['平', 'ping'], ['辉', 'hui'], ['鹏', 'peng'], ['斌', 'bin'],
  ['浩然', 'haoran'], ['建国', 'jianguo'], ['建华', 'jianhua'], ['志强', 'zhiqiang'], ['海涛', 'haitao'],
  ['文博', 'wenbo'], ['子轩', 'zixuan'], ['宇航', 'yuhang'], ['俊杰', 'junjie'], ['国庆', 'guoqing'],
  ['晓东', 'xiaodong'], ['振华', 'zhenhua'], ['德明', 'deming'], ['家豪', 'jiahao'], ['永红', 'yonghong'],
  ['卫东', 'weidong'], ['立新', 'lixin'], ['一鸣', 'yiming'],
];
const FEMALE_GIVEN: readonly (readonly [string, string])[] = [
  ['娜', 'na'], ['静', 'jing'], ['丽', 'li'], ['敏', 'min'], ['艳', 'yan'], ['芳', 'fang'], ['婷', 'ting'],
  ['雪', 'xue'], ['慧', 'hui'], ['秀英', 'xiuying'], ['桂英', 'guiying'], ['玉兰', 'yulan'], ['晓燕', 'xiaoyan'],
  ['丽华', 'lihua'], ['秀兰', 'xiulan'], ['淑珍', 'shuzhen'], ['欣怡', 'xinyi'], ['梓涵', 'zihan'],
  ['雨桐', 'yutong'], ['佳琪', 'jiaqi'], ['思琪', 'siqi'], ['雅婷', 'yating'], ['春梅', 'chunmei'],
  ['海燕', 'haiyan'], ['晓丽', 'xiaoli'], ['凤英', 'fengying'], ['红梅', 'hongmei'], ['美玲', 'meiling'],
  ['文静', 'wenjing'], ['颖', 'ying'],
];

interface PersonName {
  name: string;
  surname: string;
  surPy: string;
  givenPy: string;
  male: boolean;
}

function personName(rng: Rng): PersonName {
  // Common surnames first: bias the index towards the head of the list.
  const [surname, surPy] = SURNAMES[Math.floor(Math.pow(rng(), 1.7) * SURNAMES.length)];
  const male = chance(rng, 0.5);
  const [given, givenPy] = pick(rng, male ? MALE_GIVEN : FEMALE_GIVEN);
  return { name: surname + given, surname, surPy, givenPy, male };
}

const honorific = (n: PersonName) => n.surname + (n.male ? '先生' : '女士');

interface City {
  province: string;
  city: string;
  short: string;
  py: string;
  districts: readonly (readonly [string, readonly string[]])[];
}

const CITIES: readonly City[] = [
  { province: '浙江省', city: '杭州市', short: '杭州', py: 'hz', districts: [['西湖区', ['文三路', '天目山路', '古墩路']], ['余杭区', ['文一西路', '五常大道']], ['滨江区', ['江南大道', '滨盛路']], ['拱墅区', ['莫干山路', '湖州街']]] },
  { province: '广东省', city: '深圳市', short: '深圳', py: 'sz', districts: [['南山区', ['科技园南路', '南海大道', '桃园路']], ['福田区', ['深南大道', '福华三路']], ['宝安区', ['新安六路', '宝民一路']], ['龙岗区', ['龙翔大道', '布吉路']]] },
  { province: '广东省', city: '广州市', short: '广州', py: 'gz', districts: [['天河区', ['天河北路', '体育西路', '中山大道西']], ['海珠区', ['新港中路', '江南大道中']], ['越秀区', ['环市东路', '东风中路']], ['番禺区', ['市桥大北路', '迎宾路']]] },
  { province: '', city: '北京市', short: '北京', py: 'bj', districts: [['朝阳区', ['建国路', '望京街', '朝阳北路']], ['海淀区', ['中关村大街', '学院路', '上地十街']], ['丰台区', ['丰台北路', '科学城路']], ['西城区', ['金融大街', '西直门内大街']]] },
  { province: '', city: '上海市', short: '上海', py: 'sh', districts: [['浦东新区', ['张杨路', '世纪大道', '锦绣路']], ['徐汇区', ['漕溪北路', '虹桥路']], ['闵行区', ['七莘路', '莘庄路']], ['静安区', ['南京西路', '共和新路']]] },
  { province: '江苏省', city: '南京市', short: '南京', py: 'nj', districts: [['鼓楼区', ['中山北路', '北京西路']], ['江宁区', ['双龙大道', '天元中路']], ['建邺区', ['江东中路', '应天大街']]] },
  { province: '江苏省', city: '苏州市', short: '苏州', py: 'su', districts: [['工业园区', ['星湖街', '现代大道']], ['姑苏区', ['人民路', '干将西路']], ['吴中区', ['东吴北路', '宝带西路']]] },
  { province: '四川省', city: '成都市', short: '成都', py: 'cd', districts: [['武侯区', ['人民南路四段', '佳灵路']], ['高新区', ['天府大道中段', '益州大道']], ['锦江区', ['东大街', '静康路']], ['成华区', ['建设路', '府青路']]] },
  { province: '湖北省', city: '武汉市', short: '武汉', py: 'wh', districts: [['洪山区', ['珞喻路', '雄楚大道']], ['江汉区', ['解放大道', '新华路']], ['武昌区', ['中北路', '徐东大街']]] },
  { province: '陕西省', city: '西安市', short: '西安', py: 'xa', districts: [['雁塔区', ['小寨西路', '科技路']], ['未央区', ['凤城八路', '未央路']], ['碑林区', ['东大街', '南关正街']]] },
  { province: '山东省', city: '青岛市', short: '青岛', py: 'qd', districts: [['市南区', ['香港中路', '东海西路']], ['崂山区', ['海尔路', '株洲路']], ['黄岛区', ['长江中路', '井冈山路']]] },
  { province: '辽宁省', city: '沈阳市', short: '沈阳', py: 'sy', districts: [['和平区', ['南京北街', '三好街']], ['浑南区', ['浑南中路', '创新路']], ['沈河区', ['青年大街', '北站路']]] },
  { province: '福建省', city: '厦门市', short: '厦门', py: 'xm', districts: [['思明区', ['湖滨南路', '莲前西路']], ['湖里区', ['仙岳路', '枋湖北二路']]] },
  { province: '湖南省', city: '长沙市', short: '长沙', py: 'cs', districts: [['岳麓区', ['麓谷大道', '桐梓坡路']], ['天心区', ['芙蓉中路', '书院路']], ['开福区', ['湘江中路', '三一大道']]] },
];

const COMMUNITIES = ['阳光花园', '金都花园', '翠苑小区', '锦绣家园', '万科城', '碧桂园', '绿城桂花园', '世纪新城', '幸福里', '滨江名苑', '和平小区', '东方明珠苑', '龙湖春江郦城', '保利香槟国际', '蓝天小区', '学府雅居'];
const OFFICE_BUILDINGS = ['大厦', '科技园', '国际中心', '创业园', '商务中心', '产业园'];

function cityAddressPrefix(rng: Rng, c: City): string {
  const [district, streets] = pick(rng, c.districts);
  return `${c.province}${c.city}${district}${pick(rng, streets)}${int(rng, 1, 999)}号`;
}

function homeAddress(rng: Rng, c: City): string {
  return `${cityAddressPrefix(rng, c)}${pick(rng, COMMUNITIES)}${int(rng, 1, 28)}幢${int(rng, 1, 4)}单元${int(rng, 1, 32)}${pad(int(rng, 1, 4), 2)}室`;
}

function officeAddress(rng: Rng, c: City, core: string): string {
  const building = pick(rng, OFFICE_BUILDINGS);
  if (building === '科技园' || building === '产业园' || building === '创业园') {
    return `${cityAddressPrefix(rng, c)}${c.short}${building}${pick(rng, ['A', 'B', 'C', 'D'])}座${int(rng, 2, 18)}楼`;
  }
  return `${cityAddressPrefix(rng, c)}${core}${building}${int(rng, 2, 30)}层`;
}

// China mainland mobile prefixes (11 digits). 170/171 are left out: benchTicketBody uses 170.
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156',
  '157', '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186',
  '187', '188', '189', '191', '198', '199',
];

function uniqueMobile(rng: Rng, used: Set<string>): string {
  for (;;) {
    const p = pick(rng, MOBILE_PREFIXES) + pad(int(rng, 0, 99_999_999), 8);
    if (!used.has(p)) {
      used.add(p);
      return p;
    }
  }
}

function uniqueValue(used: Set<string>, make: (attempt: number) => string): string {
  for (let attempt = 0; ; attempt++) {
    const v = make(attempt);
    if (!used.has(v)) {
      used.add(v);
      return v;
    }
  }
}

function personalEmail(rng: Rng, n: PersonName, used: Set<string>): string {
  const style = int(rng, 0, 5);
  return uniqueValue(used, (attempt) => {
    const extra = attempt === 0 ? '' : String(int(rng, 1, 999));
    switch (style) {
      case 0: return `${n.givenPy}${n.surPy}${int(rng, 10, 99)}${extra}@163.com`;
      case 1: return `${n.surPy}${n.givenPy}${extra}@126.com`;
      case 2: return `${int(rng, 10_000_000, 2_999_999_999)}@qq.com`;
      case 3: return `${n.givenPy}.${n.surPy}${extra}@foxmail.com`;
      case 4: return `${n.surPy}_${n.givenPy}${int(rng, 1970, 2005)}${extra}@sina.com`;
      default: return `${n.surPy}.${n.givenPy}${extra}@outlook.com`;
    }
  });
}

// ---------------------------------------------------------------- companies

interface Industry {
  suffix: string;
  py: string;
  lines: readonly string[];
  titles: readonly string[];
}

const INDUSTRIES: readonly Industry[] = [
  { suffix: '医疗器械有限公司', py: 'med', lines: ['medical', 'ac'], titles: ['设备科科长', '采购经理', '售后对接人', '总经理助理'] },
  { suffix: '医院', py: 'hospital', lines: ['medical', 'server', 'ac'], titles: ['设备科科长', '护士长', '信息科主任', '后勤处副处长'] },
  { suffix: '科技有限公司', py: 'tech', lines: ['server', 'laptop', 'software'], titles: ['IT主管', '运维工程师', '行政经理', '采购专员'] },
  { suffix: '信息技术有限公司', py: 'it', lines: ['server', 'software', 'laptop'], titles: ['技术总监', '运维工程师', '项目经理'] },
  { suffix: '物流有限公司', py: 'logistics', lines: ['software', 'laptop', 'server'], titles: ['信息部经理', '仓储主管', '行政专员'] },
  { suffix: '酒店管理有限公司', py: 'hotel', lines: ['ac', 'water_heater', 'washer', 'purifier'], titles: ['工程部经理', '前厅经理', '采购主管'] },
  { suffix: '餐饮管理有限公司', py: 'food', lines: ['fridge', 'purifier', 'ac'], titles: ['店长', '采购主管', '行政专员'] },
  { suffix: '精密制造有限公司', py: 'mfg', lines: ['software', 'server', 'ac'], titles: ['设备部主管', '信息中心主任', '厂务经理'] },
  { suffix: '商贸有限公司', py: 'trade', lines: ['laptop', 'software', 'ac'], titles: ['行政经理', '财务主管', '总经理助理'] },
  { suffix: '物业服务有限公司', py: 'pm', lines: ['ac', 'water_heater', 'purifier'], titles: ['工程维修主管', '客服经理', '项目经理'] },
  { suffix: '教育科技有限公司', py: 'edu', lines: ['laptop', 'server', 'purifier'], titles: ['校区主任', 'IT管理员', '后勤主管'] },
];

const COMPANY_CORES: readonly (readonly [string, string])[] = [
  ['华信', 'huaxin'], ['云帆', 'yunfan'], ['恒通', 'hengtong'], ['瑞康', 'ruikang'], ['鼎盛', 'dingsheng'],
  ['博远', 'boyuan'], ['众诚', 'zhongcheng'], ['新锐', 'xinrui'], ['天成', 'tiancheng'], ['海纳', 'haina'],
  ['启明', 'qiming'], ['佳和', 'jiahe'], ['金桥', 'jinqiao'], ['立信', 'lixin'], ['睿达', 'ruida'],
  ['宏图', 'hongtu'], ['安泰', 'antai'], ['东升', 'dongsheng'], ['远航', 'yuanhang'], ['联创', 'lianchuang'],
  ['盛世', 'shengshi'], ['明德', 'mingde'], ['泰和', 'taihe'], ['锦程', 'jincheng'], ['星辰', 'xingchen'],
  ['蓝海', 'lanhai'], ['同创', 'tongchuang'], ['万象', 'wanxiang'], ['华瑞', 'huarui'], ['康宁', 'kangning'],
];

// ---------------------------------------------------------------- customers

export interface DemoContact {
  name: string;
  phone: string;
  email: string | null;
  title: string | null;
}

export interface DemoUnit {
  productModel: string;
  serialNumber: string;
  /** YYYY-MM-DD */
  purchaseDate: string;
  installDate: string | null;
}

export interface DemoCustomer {
  kind: 'person' | 'company';
  name: string;
  company: string | null;
  phone: string;
  email: string | null;
  address: string;
  tier: CustomerTier;
  specialNeeds: boolean;
  specialNeedsNote: string | null;
  notes: string | null;
  contacts: DemoContact[];
  units: DemoUnit[];
}

export interface GenerateCustomersOptions {
  /** Reference date (YYYY-MM-DD) for purchase dates; defaults to the current UTC date. Pass it for byte-identical output across days. */
  today?: string;
}

const SPECIAL_NEEDS_NOTES = [
  '老人独居，上门前请提前电话告知',
  '老人独居，子女在外地，紧急情况联系家属',
  '听力障碍，请优先用短信或微信文字沟通',
  '行动不便（坐轮椅），需工程师协助搬动设备',
  '视力较弱，请口头详细说明操作步骤',
  '高龄老人（82岁），上门时需家属在场',
];
const VIP_NOTES = [
  '年度服务合同客户，享受优先上门与专属客服',
  'VIP客户，投诉需主管当日回访',
  '多台设备在保，年采购额超过20万元',
  '大客户，报修直接转高级工程师组',
];
const CORE_NOTES = ['年消费额超过5000元，核心客户', '老客户，近三年多次购买', '购买了延保服务，服务优先'];
const NORMAL_NOTES = [
  '仅工作日18:00后可上门',
  '周末在家，工作日请联系家属',
  '曾投诉上门超时，回访时注意沟通方式',
  '小区需提前登记访客，上门前请报车牌号',
  '客户偏好微信沟通',
  '地址为新小区，导航可能不准确，到小区东门后联系客户',
];
const RELATIVES = ['女儿', '儿子', '儿媳', '女婿', '侄子'];

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`bad date: ${iso}`);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
};
const isoFromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function serialPrefix(model: string): string {
  return model.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 6);
}

function makeUnit(rng: Rng, product: DemoProduct, todayDay: number, usedSerials: Set<string>): DemoUnit {
  const purchaseDay = todayDay - int(rng, 7, 4 * 365 - 1);
  const purchaseDate = isoFromDay(purchaseDay);
  let installDate: string | null = null;
  if (INSTALLED_LINES.has(product.line) || (product.line === 'washer' && chance(rng, 0.4))) {
    installDate = isoFromDay(Math.min(todayDay, purchaseDay + int(rng, 0, 7)));
  }
  const yy = purchaseDate.slice(2, 4);
  const prefix = serialPrefix(product.model);
  const serialNumber = uniqueValue(usedSerials, () => `SN${prefix}${yy}${pad(int(rng, 0, 99_999_999), 8)}`);
  return { productModel: product.model, serialNumber, purchaseDate, installDate };
}

function unitCount(rng: Rng): number {
  return weighted(rng, [[1, 50], [2, 35], [3, 15]] as const);
}

/** Generates `count` customers (≈ 20 % companies); phones, e-mails, company names and serial numbers are unique within one call. */
export function generateCustomers(count: number, rng: Rng, options: GenerateCustomersOptions = {}): DemoCustomer[] {
  const todayDay = dayNumber(options.today ?? new Date().toISOString().slice(0, 10));
  const usedPhones = new Set<string>();
  const usedEmails = new Set<string>();
  const usedSerials = new Set<string>();
  const usedCompanies = new Set<string>();
  const usedDomains = new Set<string>();
  const productsByLine = new Map<string, DemoProduct[]>();
  for (const p of DEMO_PRODUCTS) {
    const list = productsByLine.get(p.line) ?? [];
    list.push(p);
    productsByLine.set(p.line, list);
  }
  const homeLines: readonly (readonly [string, number])[] = [
    ['ac', 30], ['fridge', 14], ['washer', 14], ['water_heater', 12], ['purifier', 10], ['robot', 8], ['laptop', 12],
  ];

  const out: DemoCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const city = pick(rng, CITIES);
    const isCompany = chance(rng, 0.2);
    if (isCompany) {
      const industry = pick(rng, INDUSTRIES);
      let core: readonly [string, string] = pick(rng, COMPANY_CORES);
      const company = uniqueValue(usedCompanies, (attempt) => {
        if (attempt > 0) core = pick(rng, COMPANY_CORES);
        const c = attempt > 20 ? pick(rng, CITIES) : city;
        return `${c.short}${core[0]}${industry.suffix}`;
      });
      const domain = uniqueValue(usedDomains, (attempt) =>
        attempt === 0 ? `${core[1]}${industry.py}.com` : attempt === 1 ? `${city.py}${core[1]}.com.cn` : `${core[1]}${industry.py}${attempt}.com`,
      );
      const tier = weighted<CustomerTier>(rng, [['vip', 25], ['core', 25], ['normal', 50]]);
      const contacts: DemoContact[] = [];
      const nContacts = weighted(rng, [[1, 50], [2, 35], [3, 15]] as const);
      const titles = [...industry.titles];
      for (let k = 0; k < nContacts; k++) {
        const n = personName(rng);
        const title = titles.length > 0 ? titles.splice(Math.floor(rng() * titles.length), 1)[0] : null;
        contacts.push({
          name: chance(rng, 0.25) ? honorific(n) : n.name,
          phone: uniqueMobile(rng, usedPhones),
          email: chance(rng, 0.7) ? uniqueValue(usedEmails, (a) => `${n.givenPy}.${n.surPy}${a === 0 ? '' : a}@${domain}`) : null,
          title,
        });
      }
      const lines = industry.lines;
      const units: DemoUnit[] = [];
      for (let k = unitCount(rng); k > 0; k--) {
        units.push(makeUnit(rng, pick(rng, productsByLine.get(pick(rng, lines)) ?? DEMO_PRODUCTS), todayDay, usedSerials));
      }
      out.push({
        kind: 'company',
        name: company,
        company,
        phone: uniqueMobile(rng, usedPhones),
        email: uniqueValue(usedEmails, (a) => `${pick(rng, ['service', 'info', 'admin', 'it', 'purchase'])}${a === 0 ? '' : a}@${domain}`),
        address: officeAddress(rng, city, core[0]),
        tier,
        specialNeeds: false,
        specialNeedsNote: null,
        notes: tier === 'vip' ? pick(rng, VIP_NOTES) : tier === 'core' ? pick(rng, CORE_NOTES) : chance(rng, 0.15) ? '对公付款，维修费用需开具增值税专用发票' : null,
        contacts,
        units,
      });
    } else {
      const n = personName(rng);
      const tier = weighted<CustomerTier>(rng, [['vip', 6.25], ['core', 12.5], ['normal', 81.25]]);
      const specialNeeds = chance(rng, 0.0625);
      const specialNeedsNote = specialNeeds ? pick(rng, SPECIAL_NEEDS_NOTES) : null;
      const contacts: DemoContact[] = [];
      if (specialNeeds || chance(rng, 0.05)) {
        const rel = personName(rng);
        contacts.push({ name: rel.name, phone: uniqueMobile(rng, usedPhones), email: null, title: `家属（${pick(rng, RELATIVES)}）` });
      }
      const units: DemoUnit[] = [];
      for (let k = unitCount(rng); k > 0; k--) {
        const line = weighted(rng, homeLines);
        units.push(makeUnit(rng, pick(rng, productsByLine.get(line) ?? DEMO_PRODUCTS), todayDay, usedSerials));
      }
      out.push({
        kind: 'person',
        name: n.name,
        company: null,
        phone: uniqueMobile(rng, usedPhones),
        email: chance(rng, specialNeeds ? 0.2 : 0.65) ? personalEmail(rng, n, usedEmails) : null,
        address: homeAddress(rng, city),
        tier,
        specialNeeds,
        specialNeedsNote,
        notes: tier === 'vip' ? pick(rng, VIP_NOTES) : tier === 'core' ? pick(rng, CORE_NOTES) : chance(rng, 0.12) ? pick(rng, NORMAL_NOTES) : null,
        contacts,
        units,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- ticket content

export interface DemoProductRef {
  model: string;
  name: string;
  line: string;
}

export interface DemoTicketContent {
  /** The template it came from (what kind of problem): keys the conversation (generateTicketThread). */
  template: string;
  /** The problem in a few words (漏水, 不制冷, 配送延迟 …): every later line of the ticket names it or the product. */
  fault: string;
  title: string;
  description: string;
  category: string;
  serviceType: ServiceType;
  faultClass: FaultClass | null;
  priority: Priority;
  channel: Channel;
  occurredPlace: string;
  situation: string;
  demand: string;
  firstJudgement: string;
}

interface Ctx {
  p: DemoProductRef;
  /** What the customer calls the product: 空调, 冰箱, ERP系统 … */
  noun: string;
  /** Software short name (ERP, CRM, WMS) or the noun. */
  short: string;
  pick<T>(items: readonly T[]): T;
  int(min: number, max: number): number;
  chance(p: number): boolean;
}

interface Built {
  title: string;
  description: string;
  occurredPlace: string;
  situation: string;
  demand: string;
  firstJudgement: string;
  priority?: Priority;
}

interface Template {
  id: string;
  /** Product lines the template fits; 'physical' = every line but software; 'all' = every line. */
  lines: readonly string[] | 'physical' | 'all';
  when?: (p: DemoProductRef) => boolean;
  category: string;
  serviceType: ServiceType;
  faultClass: FaultClass | null;
  /** Weights of P1, P2, P3. */
  prio: readonly [number, number, number];
  build: (c: Ctx) => Built;
}

export const LINE_NOUN: Record<string, string> = {
  ac: '空调',
  fridge: '冰箱',
  washer: '洗衣机',
  water_heater: '热水器',
  purifier: '净水器',
  robot: '扫地机器人',
  laptop: '笔记本',
  server: '服务器',
  medical: '监护仪',
};

function softwareShort(p: DemoProductRef): string {
  const m = /^[A-Za-z]+/.exec(p.model);
  return m ? m[0].toUpperCase() : '软件';
}

/** What a customer calls the product (空调, 冰箱, 洗烘一体机, ERP系统 …); every line of a demo ticket names it. */
export function nounFor(p: DemoProductRef): string {
  if (p.line === 'software') return `${softwareShort(p)}系统`;
  if (p.name.includes('洗烘')) return '洗烘一体机';
  if (p.name.includes('燃气热水器')) return '燃气热水器';
  return LINE_NOUN[p.line] ?? '设备';
}

const WHEN = ['昨天晚上', '今天早上', '前天', '这两天', '上周末', '昨天下午', '大前天', '这几天'];
const ROOMS = ['客厅', '主卧', '次卧', '书房', '儿童房'];
const SHOPS = ['京东', '天猫旗舰店', '苏宁门店', '线下专卖店', '拼多多官方店'];
const CITY_SHORTS = CITIES.map((c) => c.short);
const DEPTS = ['ICU', '急诊科', '心内科病房', '手术室', '呼吸科病房', '新生儿科'];
const BIZ = ['ERP数据库', '生产MES系统', '门诊HIS系统', '公司文件服务器', '财务系统', '电商订单系统'];
const AC_CODES: Record<string, string> = {
  E1: '室内外机通信故障，需检查连接线与主板',
  E4: '室内管温传感器异常，需携带传感器备件上门',
  F0: '冷媒不足保护，需上门检测并补充冷媒',
  F3: '室外环境温度传感器故障，需上门更换',
  H6: '室内风机故障，需上门检查电机',
  P4: '压缩机驱动保护，需检测外机主板',
};
const MISSING_PARTS: Record<string, string> = {
  ac: '遥控器',
  fridge: '制冰盒',
  washer: '进水管',
  water_heater: '安装挂架',
  purifier: '专用水龙头',
  robot: '充电座',
  laptop: '电源适配器',
  server: '上架导轨',
  medical: '血氧探头',
};
const REPEAT_ISSUES: Record<string, string> = {
  ac: '不制冷',
  fridge: '不制冷',
  washer: '不排水',
  water_heater: '不加热',
  purifier: '漏水',
  robot: '无法回充',
  laptop: '开机黑屏',
  server: '自动重启',
  medical: '误报警',
};
const homePlace = (c: Ctx, room?: string) => (c.p.line === 'server' ? '客户机房' : c.p.line === 'medical' ? `医院${c.pick(DEPTS)}` : `客户家中${room ?? ''}`);

const TEMPLATES: readonly Template[] = [
  // ------------------------------------------------ 空调
  {
    id: 'ac_no_cool', lines: ['ac'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [5, 60, 35],
    build: (c) => {
      const room = c.pick(ROOMS), t = c.int(16, 24), h = c.int(2, 5), rt = c.int(29, 34);
      return {
        title: c.pick(['空调不制冷，吹出来是热风', '空调开了几小时屋里还是热', '空调制冷效果突然变差']),
        description: `${room}的空调（${c.p.model}）${c.pick(WHEN)}开始不制冷了，遥控器设的${t}度，开了${h}个小时屋里还是${rt}度，出风口吹的基本是自然风。家里有老人和小孩，天太热实在受不了，麻烦尽快派人来看看。`,
        occurredPlace: `客户家中${room}`,
        situation: `制冷模式，设定${t}℃，连续运行${h}小时，室温仍为${rt}℃`,
        demand: c.pick(['48小时内上门维修', '尽快安排师傅上门检修', '今天之内上门处理，家里有老人']),
        firstJudgement: c.pick(['疑似冷媒泄漏，需上门检测系统压力', '可能是外机压缩机或风机未启动，需上门检测', '先排除滤网脏堵，如仍不制冷需上门检测冷媒']),
      };
    },
  },
  {
    id: 'ac_outdoor_noise', lines: ['ac'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [0, 40, 60],
    build: (c) => {
      const floor = c.int(3, 28);
      return {
        title: c.pick(['空调外机异响，邻居投诉', '空调外机运行时咔咔响']),
        description: `空调外机最近一开机就有很大的异响，“咔咔”的，像是扇叶打到了什么东西，晚上${c.int(9, 11)}点以后邻居都来敲门了。外机装在${floor}楼外墙上，我们自己没办法看，请派师傅处理。`,
        occurredPlace: `${floor}楼外墙空调外机位`,
        situation: '开机运行数分钟后外机出现金属撞击声，夜间更明显',
        demand: c.pick(['尽快上门检查外机', '本周内上门处理，别影响邻居休息']),
        firstJudgement: c.pick(['可能是风扇叶变形或外机支架螺丝松动，需安排高空作业人员上门', '外机防震垫老化或异物卡入风机，需上门检查']),
      };
    },
  },
  {
    id: 'ac_leak', lines: ['ac'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [0, 45, 55],
    build: (c) => {
      const room = c.pick(ROOMS);
      return {
        title: c.pick(['空调室内机漏水，弄湿家具', '空调挂机一直往下滴水']),
        description: `${room}的空调${c.pick(WHEN)}开始往下滴水，把下面的${c.pick(['床头柜', '书桌', '沙发', '木地板', '电视柜'])}都弄湿了，一晚上能接小半盆水。去年夏天刚装的，之前一直好好的，现在都不敢开了。`,
        occurredPlace: `客户家中${room}`,
        situation: '制冷运行约半小时后室内机出风口下方滴水',
        demand: c.pick(['尽快上门维修', '周末上门处理，顺便看看地板']),
        firstJudgement: c.pick(['排水管堵塞或坡度不够，先电话指导客户检查排水管是否折弯', '疑似接水盘破损或排水管脱落，需上门检查']),
      };
    },
  },
  {
    id: 'ac_error_code', lines: ['ac'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [0, 60, 40],
    build: (c) => {
      const code = c.pick(Object.keys(AC_CODES));
      return {
        title: `空调报${code}故障码，开不了机`,
        description: `空调${c.pick(WHEN)}开机几分钟就自动停了，面板上一直闪${code}，拔了电源重新插上也没用。说明书上说出现这个代码要联系售后，型号是${c.p.model}，麻烦安排一下。`,
        occurredPlace: `客户家中${c.pick(ROOMS)}`,
        situation: `开机运行数分钟后停机，显示故障代码${code}`,
        demand: c.pick(['尽快上门维修', '48小时内上门维修']),
        firstJudgement: `故障代码${code}：${AC_CODES[code]}`,
      };
    },
  },
  {
    id: 'electric_trip', lines: ['ac', 'fridge', 'washer'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [85, 15, 0],
    build: (c) => ({
      title: c.pick([`${c.noun}一开就跳闸，有焦糊味`, `${c.noun}插座发烫冒烟，不敢再用`]),
      description: `${c.noun}一开机家里总闸就跳，试了${c.int(2, 4)}次都一样，最后一次插座那里还有股焦糊味，插头摸着烫手。现在不敢再开了，担心起火，请尽快派人来看。`,
      occurredPlace: `客户家中${c.p.line === 'ac' ? c.pick(ROOMS) : c.p.line === 'fridge' ? '厨房' : '卫生间'}`,
      situation: '开机瞬间空气开关跳闸，插座处有焦糊味',
      demand: c.pick(['今天之内上门排查安全隐患', '立即派人上门检查']),
      firstJudgement: c.pick(['存在漏电/短路安全隐患，已提醒客户断电勿用，需当天上门', '疑似压缩机对地短路或电源线老化，按安全类问题优先处理']),
    }),
  },
  {
    id: 'install', lines: ['ac', 'water_heater', 'purifier'], category: 'other.consultation', serviceType: 'installation', faultClass: null, prio: [0, 10, 90],
    build: (c) => {
      const floor = c.int(2, 30);
      const extra: Record<string, string> = {
        ac: '外机位在阳台外侧，不知道要不要打孔',
        water_heater: '卫生间墙是空心砖，不知道能不能挂',
        purifier: '厨房水槽下面空间比较小',
      };
      return {
        title: c.pick([`新买${c.noun}预约上门安装`, `${c.noun}已到货，预约安装时间`]),
        description: `我在${c.pick(SHOPS)}买的${c.noun}（${c.p.model}）${c.pick(['昨天', '今天上午', '前天'])}已经送到了，想预约${c.pick(['本周六', '周日', '明天', '后天', '下周一'])}${c.pick(['上午', '下午', '9点到12点之间', '2点以后'])}上门安装。我家在${floor}楼，${extra[c.p.line] ?? '老房子没有电梯'}，师傅来之前请先打电话。`,
        occurredPlace: `客户家中（${floor}楼）`,
        situation: '新机已送达，尚未安装',
        demand: '按预约时间上门安装调试',
        firstJudgement: '常规安装需求，按客户期望时间派单，提醒工程师携带安装辅材',
      };
    },
  },
  // ------------------------------------------------ 冰箱
  {
    id: 'fridge_frost', lines: ['fridge'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [0, 35, 65],
    build: (c) => ({
      title: c.pick(['冰箱冷藏室结霜严重', '冰箱后壁结冰，菜都冻坏了']),
      description: `冰箱冷藏室后壁结霜特别严重，厚厚一层，${c.int(3, 7)}天就得除一次，放在里面的蔬菜水果都冻坏了。温度已经调到${c.int(4, 6)}度，还是一样。买了才${c.int(5, 20)}个月，是不是质量有问题？`,
      occurredPlace: '客户家中厨房',
      situation: '冷藏室后壁持续结霜，调高温度无改善',
      demand: c.pick(['上门检修', '如果修不好要求换新机']),
      firstJudgement: c.pick(['疑似风门或化霜加热丝故障，需上门检测', '可能门封不严导致结霜，先指导客户检查门封']),
    }),
  },
  {
    id: 'fridge_no_cool', lines: ['fridge'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [3, 60, 37],
    build: (c) => ({
      title: c.pick(['冰箱不制冷，食物都坏了', '冰箱冷冻室化冻，肉都化了']),
      description: `冰箱${c.pick(WHEN)}开始就不怎么冷了，冷冻室的肉都化了，冷藏室摸着也是温的。压缩机好像一直在响，但就是不制冷。家里还有不少东西，希望今天能来人。`,
      occurredPlace: '客户家中厨房',
      situation: '压缩机持续运行，冷冻、冷藏室温度均偏高',
      demand: c.pick(['48小时内上门维修', '如修不好要求换新机', '尽快上门，变质食物的损失希望给个说法']),
      firstJudgement: c.pick(['疑似制冷系统堵塞或冷媒泄漏，需上门检测', '可能是温控器或主控板故障，需上门检测']),
    }),
  },
  {
    id: 'fridge_noise', lines: ['fridge'], category: 'product.below_spec', serviceType: 'repair', faultClass: 'hardware', prio: [0, 15, 85],
    build: (c) => ({
      title: c.pick(['冰箱运行噪音太大，超过标称', '冰箱晚上嗡嗡响影响睡觉']),
      description: `冰箱放在客厅，晚上运行的声音特别大，嗡嗡的像拖拉机，隔着卧室门都能听到，${c.pick(WHEN)}开始越来越严重。说明书上写的噪音不超过${c.pick([38, 39, 40, 42])}分贝，这个明显超了。`,
      occurredPlace: '客户家中客厅',
      situation: '夜间压缩机运行时噪音明显',
      demand: c.pick(['上门检测噪音', '如无法解决申请换货']),
      firstJudgement: c.pick(['先确认冰箱是否放置水平、背部是否贴墙，必要时上门检测压缩机', '疑似压缩机或冷凝风扇噪音超标，需上门检测']),
    }),
  },
  {
    id: 'fridge_door', lines: ['fridge'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [0, 20, 80],
    build: (c) => ({
      title: c.pick(['冰箱门关不严，封条脱落', '冰箱门封条掉了，一直报警']),
      description: `冰箱${c.pick(['右边', '左边', '下面冷冻室'])}门的门封条脱出来一截，门关上以后总留一条缝，一直“滴滴”报警。我自己按回去过，第二天又掉出来了，请问能上门换个门封吗？`,
      occurredPlace: '客户家中厨房',
      situation: '门封条脱出，门体关闭不严，开门报警',
      demand: '上门更换门封条',
      firstJudgement: '门封条老化或变形，需备件门封上门更换',
    }),
  },
  // ------------------------------------------------ 洗衣机
  {
    id: 'washer_shake', lines: ['washer'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'usage', prio: [0, 25, 75],
    build: (c) => ({
      title: c.pick(['洗衣机脱水时剧烈震动', '洗衣机甩干时震得满地跑']),
      description: `新买的${c.noun}一到脱水就剧烈震动，整台机器都在地上“跳”，声音特别大，楼下邻居都上来问了。才用了${c.int(2, 6)}次，是不是安装有问题？`,
      occurredPlace: c.pick(['客户家中卫生间', '客户家中阳台']),
      situation: '脱水阶段机身剧烈晃动并移位',
      demand: c.pick(['电话指导或上门调试', '上门检查安装是否有问题']),
      firstJudgement: c.pick(['可能未拆除运输螺栓或地面不平，先电话指导客户检查，2小时后回访', '疑似底脚未调平，电话指导无效再上门']),
    }),
  },
  {
    id: 'washer_drain', lines: ['washer'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [0, 55, 45],
    build: (c) => {
      const code = c.pick(['E21', 'E30', 'F21', 'ERR2']);
      return {
        title: `洗衣机不排水，显示${code}`,
        description: `${c.noun}洗到一半就停了，桶里全是水排不出去，屏幕显示${code}。衣服泡在里面拿不出来，排水管我看了没有折。${c.pick(['前天', '上周'])}还好好的，麻烦尽快安排师傅。`,
        occurredPlace: c.pick(['客户家中卫生间', '客户家中阳台']),
        situation: `洗涤过程中停机，桶内积水，显示故障代码${code}`,
        demand: c.pick(['尽快上门维修', '48小时内上门维修']),
        firstJudgement: c.pick(['疑似排水泵堵塞，先指导客户清理排水过滤器', '排水泵故障可能性大，需携带排水泵上门']),
      };
    },
  },
  {
    id: 'washer_door', lines: ['washer'], when: (p) => !p.model.startsWith('XQB'), category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [0, 60, 40],
    build: (c) => ({
      title: c.pick(['洗衣机门锁住打不开', '滚筒门打不开，衣服取不出']),
      description: `${c.noun}程序结束都${c.int(2, 6)}个小时了，门还是锁着打不开，里面有孩子明天上学要穿的校服。断电重启试过了，门锁灯一直亮，请问有什么办法？`,
      occurredPlace: '客户家中卫生间',
      situation: '洗涤程序结束后门锁未释放',
      demand: c.pick(['今天电话指导开门，不行就上门', '尽快上门处理']),
      firstJudgement: c.pick(['门锁开关故障或水位未排空，先电话指导紧急开锁', '可能门锁组件损坏，需上门更换']),
    }),
  },
  {
    id: 'washer_dry', lines: ['washer'], when: (p) => p.name.includes('烘'), category: 'product.below_spec', serviceType: 'repair', faultClass: 'hardware', prio: [0, 20, 80],
    build: (c) => ({
      title: '洗烘一体机烘干后衣服还是湿的',
      description: `洗烘一体机用烘干功能，标准模式烘了${c.int(2, 4)}个小时，拿出来衣服还是潮的，尤其是牛仔裤和毛巾。说明书上说10公斤以内都能烘干，我只放了一半都不行。`,
      occurredPlace: '客户家中阳台',
      situation: '标准烘干程序结束后衣物仍潮湿',
      demand: '上门检测烘干功能',
      firstJudgement: '先确认冷凝器和毛絮过滤网是否清洁，必要时上门检测加热管',
    }),
  },
  // ------------------------------------------------ 热水器
  {
    id: 'heater_e4', lines: ['water_heater'], when: (p) => !p.name.includes('燃气'), category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [2, 60, 38],
    build: (c) => ({
      title: c.pick(['热水器显示E4故障码，不加热', '热水器报E4，不出热水']),
      description: `热水器${c.pick(WHEN)}开始不加热了，显示屏上一直闪E4，断电重启以后过十几分钟又出来。家里${c.int(3, 6)}口人洗澡都成问题，型号是${c.p.model}，麻烦尽快派人。`,
      occurredPlace: '客户家中卫生间',
      situation: '加热过程中显示E4并停止加热',
      demand: c.pick(['尽快上门维修', '48小时内上门维修']),
      firstJudgement: c.pick(['E4为温度传感器故障，需携带传感器备件上门更换', '疑似超温保护或传感器损坏，需上门检测']),
    }),
  },
  {
    id: 'heater_shock', lines: ['water_heater'], when: (p) => !p.name.includes('燃气'), category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [90, 10, 0],
    build: (c) => ({
      title: c.pick(['洗澡时热水器漏电发麻', '热水器出水有电麻感']),
      description: `今天洗澡的时候手碰到水龙头有明显的麻感，${c.pick(['孩子', '我爱人', '家里老人'])}也说被电了一下。热水器已经拔了插头不敢再用，漏电保护插头也没跳。这个太危险了，请马上派人来检查！`,
      occurredPlace: '客户家中卫生间',
      situation: '使用热水时接触水龙头有电麻感，漏电保护未动作',
      demand: c.pick(['今天必须上门检查', '立即上门并出具书面检测结果']),
      firstJudgement: c.pick(['存在漏电安全隐患，已提醒客户断电停用，需当天上门检测加热管和接地', '疑似加热管击穿或地线未接，安全类问题优先处理']),
    }),
  },
  {
    id: 'gas_ignite', lines: ['water_heater'], when: (p) => p.name.includes('燃气'), category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [10, 60, 30],
    build: (c) => {
      const code = c.pick(['E1', 'E2']);
      return {
        title: c.pick(['燃气热水器打不着火', '热水器点火后几秒就熄火']),
        description: `燃气热水器${c.pick(WHEN)}开始打不着火，开热水能听到“哒哒”的点火声，但就是点不着，偶尔着了几秒又灭了，屏幕显示${code}。燃气灶是好的，应该不是没气。`,
        occurredPlace: c.pick(['客户家中厨房', '客户家中阳台']),
        situation: `开热水后反复点火失败，显示${code}`,
        demand: c.pick(['尽快上门维修', '48小时内上门维修']),
        firstJudgement: c.pick(['疑似点火针或火焰检测针故障，需上门检测', '可能是风压开关或比例阀故障，上门时注意排查燃气泄漏']),
      };
    },
  },
  {
    id: 'gas_smell', lines: ['water_heater'], when: (p) => p.name.includes('燃气'), category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [95, 5, 0],
    build: (c) => ({
      title: c.pick(['燃气热水器附近有燃气味', '热水器一开就闻到煤气味']),
      description: `这${c.int(2, 3)}天用热水的时候，${c.pick(['阳台', '厨房'])}热水器附近总能闻到一股燃气味，关了热水以后味道慢慢散了。现在燃气总阀已经关了，窗户也开着，家里有${c.pick(['老人', '小孩', '孕妇'])}，很担心出事，请马上派人来。`,
      occurredPlace: c.pick(['客户家中厨房', '客户家中阳台']),
      situation: '热水器运行时周边有燃气味，客户已关闭燃气总阀',
      demand: c.pick(['立即上门检查', '今天必须上门排查安全隐患']),
      firstJudgement: '疑似燃气管路或比例阀泄漏，安全类问题，已提醒客户勿开关电器并保持通风，安排工程师立即上门',
    }),
  },
  {
    id: 'heater_temp', lines: ['water_heater'], category: 'product.below_spec', serviceType: 'repair', faultClass: 'hardware', prio: [0, 30, 70],
    build: (c) => ({
      title: c.pick(['热水器出水忽冷忽热', '洗澡水温不稳定，忽冷忽热']),
      description: `洗澡的时候${c.noun}出水一会儿烫一会儿凉，温度设的${c.int(40, 48)}度，实际水温根本稳不住，冬天洗澡太遭罪了。换了个花洒也一样，麻烦看看是不是机器的问题。`,
      occurredPlace: '客户家中卫生间',
      situation: '使用中出水温度波动大',
      demand: '上门检测',
      firstJudgement: '先确认水压是否稳定及混水阀设置，必要时上门检测恒温阀',
    }),
  },
  // ------------------------------------------------ 净水器
  {
    id: 'purifier_filter', lines: ['purifier'], category: 'other.consultation', serviceType: 'consultation', faultClass: null, prio: [0, 5, 95],
    build: (c) => ({
      title: c.pick(['净水器提示更换滤芯，咨询价格', '净水器滤芯灯一直闪红灯']),
      description: `净水器面板上第${c.int(1, 4)}级滤芯的灯一直在闪红灯，${c.pick(WHEN)}开始的。想问一下是必须马上换吗？原装滤芯在哪里买，换的话能不能上门帮忙装？`,
      occurredPlace: '客户家中厨房',
      situation: '滤芯寿命提示灯闪烁',
      demand: c.pick(['告知滤芯价格并预约上门更换', '电话说明即可']),
      firstJudgement: '滤芯寿命到期提醒，告知原装滤芯购买渠道，可预约上门更换',
    }),
  },
  {
    id: 'purifier_leak', lines: ['purifier'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [5, 70, 25],
    build: (c) => ({
      title: c.pick(['净水器漏水，厨房地板泡了', '净水器接头漏水，地板受损']),
      description: `早上起来发现厨房水槽下面全是水，净水器的${c.pick(['进水接头', '压力桶接口', '滤芯底座', '废水管'])}在滴水，地板已经泡起来了。现在把进水阀关了，家里没法用净水，地板的损失也希望你们给个说法。`,
      occurredPlace: '客户家中厨房水槽下方',
      situation: '夜间无人时接头渗漏，地面积水',
      demand: c.pick(['尽快上门维修并赔偿地板损失', '24小时内上门']),
      firstJudgement: '疑似快接头老化或滤芯未拧紧，需上门更换接头并评估地板损失',
    }),
  },
  {
    id: 'purifier_tds', lines: ['purifier'], category: 'product.below_spec', serviceType: 'repair', faultClass: 'hardware', prio: [0, 20, 80],
    build: (c) => ({
      title: c.pick(['净水器出水慢，TDS偏高', '净水器纯水TDS值变高']),
      description: `净水器最近出水越来越慢，接一壶水要${c.int(3, 8)}分钟。我用TDS笔测了一下纯水有${c.int(60, 150)}，刚装的时候才十几。滤芯半年前刚换过，不知道是什么原因。`,
      occurredPlace: '客户家中厨房',
      situation: '出水流量下降，纯水TDS值升高',
      demand: '上门检测水质和滤芯',
      firstJudgement: c.pick(['可能是RO膜堵塞或进水压力不足，需上门检测', '先确认前置滤芯是否堵塞，再评估是否更换RO膜']),
    }),
  },
  // ------------------------------------------------ 扫地机器人
  {
    id: 'robot_dock', lines: ['robot'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [0, 15, 85],
    build: (c) => ({
      title: c.pick(['扫地机器人无法自动回充', '扫地机总是找不到充电座']),
      description: `扫地机器人每次扫完都回不去充电座，在客厅里转圈转到没电关机，${c.pick(WHEN)}开始的。充电座位置没动过，周围也没东西挡着，传感器也擦过了。`,
      occurredPlace: '客户家中客厅',
      situation: '清扫结束后回充失败，电量耗尽停机',
      demand: c.pick(['远程指导或寄修', '换一个充电座']),
      firstJudgement: c.pick(['可能是回充红外传感器脏污或充电座信号异常，先远程指导重置', '疑似充电座故障，可寄回检测或换新充电座']),
    }),
  },
  {
    id: 'robot_wifi', lines: ['robot'], category: 'product.compatibility', serviceType: 'repair', faultClass: 'software', prio: [0, 10, 90],
    build: (c) => ({
      title: c.pick(['扫地机器人APP连不上WiFi', '扫地机配网总是失败']),
      description: `家里换了新路由器以后，扫地机器人在APP里一直显示离线，重新配网试了${c.int(3, 8)}次都失败，卡在“正在连接设备”。路由器是双频的，APP也是最新版。`,
      occurredPlace: '客户家中',
      situation: '更换路由器后设备离线，重新配网失败',
      demand: '远程指导配网',
      firstJudgement: c.pick(['设备仅支持2.4G网络，指导客户关闭双频合一或单独开启2.4G', '版本兼容问题，引导客户升级固件后重新配网']),
    }),
  },
  {
    id: 'robot_map', lines: ['robot'], category: 'product.compatibility', serviceType: 'repair', faultClass: 'software', prio: [0, 10, 90],
    build: (c) => ({
      title: '扫地机固件升级后地图丢失',
      description: `APP提示固件升级，升完以后之前建好的地图全没了，禁区和分房间设置也没了，重新建图还老是把${c.pick(ROOMS)}和走廊识别成一个房间。能不能恢复原来的地图？`,
      occurredPlace: '客户家中',
      situation: '固件升级后历史地图与分区设置丢失',
      demand: '恢复地图或给出解决办法',
      firstJudgement: '固件升级后地图数据兼容问题，已反馈研发，先指导客户重新建图并手动分区',
    }),
  },
  {
    id: 'robot_brush', lines: ['robot'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [0, 10, 90],
    build: (c) => ({
      title: c.pick(['扫地机器人边刷不转了', '扫地机APP提示边刷异常']),
      description: `扫地机器人的边刷${c.pick(WHEN)}开始不转了，APP提示“边刷异常”，我把缠在上面的头发都清理了还是不行。买了才${c.int(3, 11)}个月，应该还在保修期里吧？`,
      occurredPlace: '客户家中',
      situation: '清扫时边刷不转，APP报边刷异常',
      demand: c.pick(['保修期内免费维修', '寄个新边刷组件过来']),
      firstJudgement: '疑似边刷电机故障，保内可寄修或寄送边刷组件',
    }),
  },
  // ------------------------------------------------ 笔记本
  {
    id: 'laptop_black', lines: ['laptop'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [5, 65, 30],
    build: (c) => ({
      title: c.pick(['笔记本开机黑屏，急用', '笔记本电脑开机屏幕不亮']),
      description: `笔记本${c.pick(WHEN)}开机以后电源灯亮，风扇也在转，但屏幕一直是黑的，外接显示器也没有画面。里面有${c.pick(['明天要交的标书', '公司的财务报表', '孩子的毕业论文', '客户的设计图纸'])}，急用！型号${c.p.model}。`,
      occurredPlace: c.pick(['客户办公室', '客户家中书房']),
      situation: '开机电源灯亮、风扇转，屏幕及外接显示器均无显示',
      demand: c.pick(['尽快修好，数据不能丢', '今天送修，最好能提供备用机']),
      firstJudgement: c.pick(['疑似内存接触不良或主板故障，建议送网点检测，提醒客户数据备份', '可先指导客户长按电源键放电、重插内存，无效再送修']),
    }),
  },
  {
    id: 'laptop_bsod', lines: ['laptop'], category: 'product.compatibility', serviceType: 'repair', faultClass: 'software', prio: [0, 50, 50],
    build: (c) => ({
      title: c.pick(['笔记本升级系统后蓝屏', '系统更新后频繁蓝屏重启']),
      description: `笔记本${c.pick(['昨天', '前天', '上周'])}自动更新了系统，之后一天蓝屏${c.int(3, 9)}次，错误代码是${c.pick(['0x0000007E', '0x000000D1', '0x00000116', 'WHEA_UNCORRECTABLE_ERROR'])}，有时候开着文档就突然重启。官网下载的驱动装了也没用，严重影响工作。`,
      occurredPlace: '客户办公室',
      situation: '系统自动更新后频繁蓝屏重启',
      demand: '远程协助解决，不要重装系统',
      firstJudgement: c.pick(['系统更新与显卡驱动不兼容，指导客户回退驱动版本', '疑似系统补丁兼容问题，远程协助回滚更新']),
    }),
  },
  {
    id: 'laptop_keyboard', lines: ['laptop'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [0, 20, 80],
    build: (c) => ({
      title: '笔记本键盘部分按键失灵，没进水',
      description: `笔记本键盘上的${c.pick(['A、S、D', '回车和空格', 'J、K、L', '数字1到5'])}这几个键${c.pick(WHEN)}开始按了没反应，要用很大力气才偶尔能打出来。没有进过水，也没摔过，外接键盘是正常的。`,
      occurredPlace: c.pick(['客户办公室', '客户家中书房']),
      situation: '部分按键无响应，外接键盘正常',
      demand: '保修期内免费更换键盘',
      firstJudgement: '疑似键盘排线松动或键盘模组损坏，需送修更换键盘',
    }),
  },
  {
    id: 'laptop_battery', lines: ['laptop'], category: 'product.below_spec', serviceType: 'repair', faultClass: 'hardware', prio: [0, 15, 85],
    build: (c) => ({
      title: c.pick(['笔记本电池续航严重缩水', '笔记本插着电也充不进去']),
      description: `笔记本刚买的时候能用${c.int(6, 10)}个小时，现在充满电不到一个小时就没电了，有时候插着电源也显示“已连接，未充电”。电池健康度只剩${c.int(40, 65)}%。`,
      occurredPlace: '客户办公室',
      situation: '电池续航明显缩短，偶发无法充电',
      demand: '更换电池',
      firstJudgement: c.pick(['电池损耗异常，保内可免费更换电池', '可能是充电管理或电池故障，需送修检测']),
    }),
  },
  {
    id: 'laptop_screen', lines: ['laptop'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [0, 40, 60],
    build: (c) => ({
      title: c.pick(['笔记本屏幕出现竖线', '笔记本屏幕闪烁有彩线']),
      description: `笔记本屏幕${c.pick(WHEN)}开始中间出现几条彩色竖线，开合屏幕的时候还会闪，外接显示器是正常的。我平时都很小心，没摔没压过，怀疑是屏幕质量问题。`,
      occurredPlace: c.pick(['客户办公室', '客户家中书房']),
      situation: '开合屏幕时彩色竖线及闪烁加重',
      demand: '免费更换屏幕',
      firstJudgement: '疑似屏线或液晶屏故障，需送网点检测，确认非人为损坏后保内更换',
    }),
  },
  // ------------------------------------------------ 服务器
  {
    id: 'server_raid', lines: ['server'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [35, 65, 0],
    build: (c) => {
      const slot = c.int(0, 7);
      return {
        title: c.pick(['服务器RAID告警，硬盘亮黄灯', '服务器阵列降级告警']),
        description: `机房的服务器（${c.p.model}）今天${c.pick(['凌晨3点', '早上8点', '上午10点', '中午'])}开始报RAID告警，管理口显示阵列降级，${slot}号盘位亮黄灯。上面跑着${c.pick(BIZ)}，目前业务还正常，担心再坏一块盘数据就没了。`,
        occurredPlace: `客户机房${c.int(1, 20)}号机柜`,
        situation: `RAID5阵列降级，${slot}号盘位故障灯亮`,
        demand: c.pick(['4小时内到场更换硬盘', '今天之内送硬盘过来']),
        firstJudgement: c.pick(['单盘故障导致阵列降级，需尽快备盘上门更换并监控重建', '需先远程收集阵列日志确认故障盘，再安排备件上门']),
      };
    },
  },
  {
    id: 'server_down', lines: ['server'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [95, 5, 0],
    build: (c) => ({
      title: c.pick(['服务器宕机，业务全部中断', '服务器无法开机，业务停摆']),
      description: `服务器${c.pick(['凌晨2点', '今天早上', '上午9点多', '刚才'])}突然宕机，重启后卡在自检界面进不了系统，前面板${c.pick(['系统状态灯闪橙色', '电源灯不亮', '显示Memory Error'])}。上面的${c.pick(BIZ)}全部中断了，${c.pick(['全厂生产线都停了', '几百个员工没法办公', '每小时损失好几万'])}，请立即派工程师到现场！`,
      occurredPlace: `客户机房${c.int(1, 20)}号机柜`,
      situation: '运行中突然宕机，重启卡在开机自检',
      demand: c.pick(['2小时内工程师到场', '立即到场恢复业务']),
      firstJudgement: c.pick(['疑似主板或电源模块故障，按P1处理，立即安排工程师携带备件到场', '需远程读取BMC日志定位，同时派工程师携带电源和内存备件上门']),
    }),
  },
  {
    id: 'server_fan', lines: ['server'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [10, 70, 20],
    build: (c) => ({
      title: c.pick(['服务器风扇告警，温度过高', '服务器风扇故障告警']),
      description: `服务器管理界面一直报风扇告警，${c.int(1, 6)}号风扇转速显示为0，CPU温度到了${c.int(85, 96)}度，风扇声音特别大。机房空调是正常的，同一机柜的其他服务器都没问题。`,
      occurredPlace: `客户机房${c.int(1, 20)}号机柜`,
      situation: '单个风扇停转，CPU温度持续偏高',
      demand: '尽快更换风扇模块',
      firstJudgement: c.pick(['风扇模块故障，需备件上门更换，建议客户先降低负载', '可能是风扇模块或背板故障，需上门检测']),
    }),
  },
  {
    id: 'server_ecc', lines: ['server'], category: 'product.hardware_damage', serviceType: 'repair', faultClass: 'hardware', prio: [20, 70, 10],
    build: (c) => ({
      title: '服务器内存频繁报ECC错误',
      description: `服务器日志里最近${c.int(2, 6)}天一直报内存可纠正错误，位置是DIMM ${c.pick(['A1', 'A3', 'B2', 'B5'])}槽位，昨天晚上还自动重启了一次。我们担心哪天直接宕机，想尽快换掉这根内存。`,
      occurredPlace: '客户机房',
      situation: '持续出现内存可纠正错误，已发生一次异常重启',
      demand: '尽快更换内存条',
      firstJudgement: '内存条故障风险高，安排同型号内存备件上门更换',
    }),
  },
  {
    id: 'server_install', lines: ['server'], category: 'other.consultation', serviceType: 'installation', faultClass: null, prio: [0, 20, 80],
    build: (c) => ({
      title: '新购服务器上架安装调试',
      description: `我们新采购的${c.int(2, 8)}台${c.p.model}已经到货，放在机房门口了，需要你们工程师来上架、做RAID和装系统。机房进出要提前报备，请提前一天告诉我来人姓名。`,
      occurredPlace: '客户机房',
      situation: '新设备已到货，待上架部署',
      demand: '本周内上门安装调试',
      firstJudgement: '常规安装需求，提前收集IP规划和RAID要求，安排工程师携带导轨上门',
    }),
  },
  {
    id: 'inspection', lines: ['server', 'medical'], category: 'other.consultation', serviceType: 'inspection', faultClass: null, prio: [0, 0, 100],
    build: (c) => {
      const who = c.p.line === 'medical' ? `我们${c.pick(DEPTS)}` : '我们公司机房';
      return {
        title: c.p.line === 'medical' ? '监护仪年度巡检和计量校准' : '服务器半年度巡检预约',
        description: `${who}有${c.int(2, 12)}台${c.p.model}${c.noun}，按合同每半年要做一次巡检，上次是${c.int(1, 12)}月份做的。想约${c.pick(['下周二', '下周四', '月底', '本周五'])}上门，顺便看看固件要不要升级。`,
        occurredPlace: homePlace(c),
        situation: '合同约定的定期巡检',
        demand: '按合同上门巡检并出具巡检报告',
        firstJudgement: '例行巡检，按合同排期，提前准备巡检清单和固件版本说明',
      };
    },
  },
  // ------------------------------------------------ 医疗监护仪
  {
    id: 'med_spo2', lines: ['medical'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [85, 15, 0],
    build: (c) => {
      const dept = c.pick(DEPTS);
      return {
        title: c.pick(['监护仪血氧读数异常，影响监测', '监护仪血氧值忽高忽低']),
        description: `${dept}的监护仪（${c.p.model}）血氧读数很不稳定，同一个病人一会儿显示${c.int(96, 99)}%一会儿${c.int(78, 86)}%，换了探头也一样，护士只能用指夹式血氧仪复核。这是在用设备，影响病人监测，请尽快处理。`,
        occurredPlace: `医院${dept}`,
        situation: '临床使用中SpO2读数大幅波动，更换探头无改善',
        demand: c.pick(['今天到场处理并提供备机', '4小时内到场']),
        firstJudgement: c.pick(['疑似血氧模块或探头接口故障，涉及患者安全，按P1处理，安排备机并上门检测', '先确认探头型号是否匹配，若非探头问题需更换血氧模块']),
      };
    },
  },
  {
    id: 'med_selftest', lines: ['medical'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'hardware', prio: [90, 10, 0],
    build: (c) => {
      const dept = c.pick(DEPTS);
      return {
        title: c.pick(['监护仪开机自检失败，急需处理', '监护仪报警声音不响，需马上修']),
        description: `今天早上交班时发现${dept}一台监护仪开机自检不通过，屏幕提示“${c.pick(['系统自检失败', '报警系统错误', 'NIBP模块自检失败', '主板通信错误'])}”，报警音也不响。这台是给重症病人用的，现在临时换了别的机器，请马上派人来。`,
        occurredPlace: `医院${dept}`,
        situation: '开机自检失败，报警音无输出',
        demand: c.pick(['立即到场并提供备机', '今天之内修复']),
        firstJudgement: '报警系统失效涉及患者安全，按P1处理，安排工程师携带备机和主板备件到场',
      };
    },
  },
  {
    id: 'med_false_alarm', lines: ['medical'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'usage', prio: [10, 60, 30],
    build: (c) => {
      const dept = c.pick(DEPTS);
      return {
        title: '监护仪频繁误报导联脱落',
        description: `${dept}的监护仪这几天一直报“ECG导联脱落”，病人的电极片都贴得好好的，一晚上能误报几十次，护士和病人都被吵得受不了。电极片是新开的一箱。`,
        occurredPlace: `医院${dept}`,
        situation: '夜间频繁出现导联脱落报警，实际电极贴附正常',
        demand: '尽快解决误报问题',
        firstJudgement: c.pick(['可能是电极片与导联线接触不良或导联线老化，先指导更换导联线测试', '疑似使用的电极片型号不匹配，先电话指导']),
      };
    },
  },
  {
    id: 'med_central', lines: ['medical'], category: 'product.compatibility', serviceType: 'repair', faultClass: 'software', prio: [40, 60, 0],
    build: (c) => {
      const dept = c.pick(DEPTS);
      return {
        title: '监护仪升级后连不上中央站',
        description: `上周你们工程师给${dept}的监护仪升级了软件，之后这${c.int(3, 8)}台都连不上护士站的中央监护系统了，中央站上显示离线。护士站没法集中看病人数据，很不方便。`,
        occurredPlace: `医院${dept}护士站`,
        situation: '床旁监护仪软件升级后与中央站通信中断',
        demand: '尽快恢复中央站联网',
        firstJudgement: '新版本与中央站通信协议不兼容，需远程确认版本并安排工程师回退或升级中央站',
      };
    },
  },
  // ------------------------------------------------ 企业软件
  {
    id: 'soft_login', lines: ['software'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'software', prio: [10, 60, 30],
    build: (c) => {
      const scope = c.pick(['全公司都进不去', '财务部的人都进不去', '我们部门十几个人都进不去', '只有我这个账号进不去']);
      return {
        title: c.pick([`${c.short}系统登录报错`, `${c.short}登录时提示系统异常`]),
        description: `今天早上${c.short}系统登录一直提示“${c.pick(['用户名或密码错误', '500 Internal Server Error', '会话已过期，请重新登录', '许可证校验失败'])}”，${scope}，浏览器缓存清了、换了电脑也一样。${c.pick(['今天下午', '明天上午'])}还要${c.pick(['月结', '给客户发货', '开票', '做报表'])}，麻烦尽快处理。`,
        occurredPlace: '客户办公室',
        situation: `登录时报错，影响范围：${scope}`,
        demand: c.pick(['尽快恢复登录', '1小时内远程处理']),
        firstJudgement: c.pick(['疑似许可证到期或认证服务异常，需远程查看服务日志', '可能是单点登录配置变更，先远程协助排查']),
        priority: scope.startsWith('全公司') ? 'P1' : scope.startsWith('只有我') ? 'P3' : 'P2',
      };
    },
  },
  {
    id: 'soft_upgrade', lines: ['software'], category: 'product.compatibility', serviceType: 'repair', faultClass: 'software', prio: [5, 65, 30],
    build: (c) => {
      const ver = /\d+(\.\d+)+/.exec(c.p.model)?.[0] ?? '新版本';
      return {
        title: `${c.short}升级后导出报表乱码`,
        description: `${c.short}系统升级到${ver}以后，导出的Excel报表中文全是乱码，以前的旧版本是好的。财务月底要用这些报表${c.pick(['报税', '对账', '给老板汇报'])}，麻烦尽快给个解决办法。`,
        occurredPlace: '客户财务部',
        situation: `系统升级至${ver}后导出报表中文乱码`,
        demand: '月底前解决',
        firstJudgement: '新版本导出编码变更导致兼容问题，先提供切换导出编码的临时方案，并反馈研发',
      };
    },
  },
  {
    id: 'soft_slow', lines: ['software'], category: 'product.below_spec', serviceType: 'repair', faultClass: 'software', prio: [5, 55, 40],
    build: (c) => ({
      title: `${c.short}系统查询很慢，经常超时`,
      description: `最近${c.short}系统特别慢，打开一张${c.pick(['销售订单', '采购单', '库存报表', '客户档案'])}要等${c.int(30, 90)}秒，月结跑报表经常超时失败。我们用户数没增加，服务器也是按你们要求配的，请派技术看一下。`,
      occurredPlace: '客户办公室',
      situation: '业务高峰期查询和报表响应缓慢、超时',
      demand: '派技术人员排查性能问题',
      firstJudgement: c.pick(['疑似数据库索引缺失或数据量增长，需远程采集慢查询日志', '需确认近期是否有升级或配置变更，远程排查数据库性能']),
    }),
  },
  {
    id: 'soft_howto', lines: ['software'], category: 'other.consultation', serviceType: 'consultation', faultClass: null, prio: [0, 0, 100],
    build: (c) => ({
      title: `${c.short}系统审批流程怎么设置`,
      description: `我们公司想在${c.short}系统里把${c.pick(['采购审批', '费用报销', '合同审批'])}改成金额超过${c.pick(['5000', '1万', '5万'])}元要总经理审批，找了半天没找到在哪里设置。有没有操作手册或者视频，或者远程教一下也行。`,
      occurredPlace: '客户办公室',
      situation: '配置审批流程时找不到对应设置',
      demand: '提供操作手册或远程指导',
      firstJudgement: '功能使用咨询，发送审批流配置手册并预约远程指导',
    }),
  },
  {
    id: 'soft_api', lines: ['software'], category: 'product.functional_fault', serviceType: 'repair', faultClass: 'software', prio: [5, 60, 35],
    build: (c) => ({
      title: `${c.short}接口调用返回500错误`,
      description: `我们自己的系统通过API对接${c.short}，从${c.pick(['昨天晚上', '今天上午', '前天'])}开始同步${c.pick(['订单', '库存', '客户'])}数据的接口一直返回500错误，其他接口正常。日志里的请求ID是req-${c.int(0x10000000, 0xffffffff).toString(16)}，麻烦帮忙查一下。`,
      occurredPlace: '客户系统对接环境',
      situation: '单个同步接口持续返回HTTP 500',
      demand: '今天之内给出原因和修复时间',
      firstJudgement: '需根据请求ID查询服务端日志，疑似接口参数校验变更导致异常',
    }),
  },
  // ------------------------------------------------ 通用：物流
  {
    id: 'log_late', lines: 'physical', category: 'logistics.late_delivery', serviceType: 'complaint', faultClass: null, prio: [0, 35, 65],
    build: (c) => {
      const promise = c.int(2, 3);
      return {
        title: c.pick(['订单配送延迟，迟迟未到', '下单一周了还没送货']),
        description: `我${promise + c.int(3, 8)}天前在${c.pick(SHOPS)}下单买的${c.noun}，说好${promise}天送到，到现在还没收到。物流信息一直停在${c.pick(CITY_SHORTS)}转运中心，打客服电话只说在催，到底什么时候能送？`,
        occurredPlace: '配送途中',
        situation: '物流信息长时间停留在中转站',
        demand: c.pick(['尽快送货并给个准确时间', '三天内还送不到就退款']),
        firstJudgement: '物流中转滞留，需联系承运商核实，当天回复客户预计送达时间',
      };
    },
  },
  {
    id: 'log_damaged', lines: 'physical', category: 'logistics.damaged', serviceType: 'return_exchange', faultClass: null, prio: [0, 55, 45],
    build: (c) => ({
      title: c.pick(['收到商品外包装破损，机身凹陷', '新机送到时有磕碰凹陷']),
      description: `今天送货的师傅把${c.noun}送到，外箱一角都压烂了，拆开一看${c.pick(['机身侧面', '前面板', '右下角', '顶盖'])}凹进去一块，还有划痕。当时师傅说先签收有问题找售后，我拍了照片和开箱视频。`,
      occurredPlace: '客户收货地址',
      situation: '签收开箱时发现外包装及机身破损',
      demand: c.pick(['换新机', '退货退款', '换一台新的并上门取走坏的']),
      firstJudgement: '运输途中破损，核对签收单与开箱照片，符合条件按换货流程处理',
    }),
  },
  {
    id: 'log_wrong', lines: 'physical', category: 'logistics.wrong_missing', serviceType: 'return_exchange', faultClass: null, prio: [0, 30, 70],
    build: (c) => {
      const missing = c.chance(0.5);
      const part = MISSING_PARTS[c.p.line] ?? '配件';
      return missing
        ? {
            title: `${c.noun}配件漏发，少了${part}`,
            description: `${c.noun}送到以后发现少了${part}，包装箱里翻遍了也没有，装箱单上明明写着有。没有这个东西没法正常使用，请尽快补发，不要让我再跑一趟。`,
            occurredPlace: '客户收货地址',
            situation: `开箱核对时发现缺少${part}`,
            demand: `尽快补发${part}`,
            firstJudgement: '疑似仓库漏装，核对出库记录后安排补发',
          }
        : {
            title: c.pick(['收到的型号和订单不一致', '发错货了，型号不对']),
            description: `订单上写的是${c.p.model}，送来的却是另一个型号，颜色也不一样。包装还没拆，请尽快安排换货，这边${c.pick(['急着用', '下周要搬新家', '老人等着用'])}。`,
            occurredPlace: '客户收货地址',
            situation: '签收时发现实物型号与订单不符，未拆封',
            demand: '尽快换成订单上的型号',
            firstJudgement: '仓库错发，安排上门取回并重新发货',
          };
    },
  },
  {
    id: 'log_return', lines: 'physical', category: 'logistics.return_shipping', serviceType: 'return_exchange', faultClass: null, prio: [0, 30, 70],
    build: (c) => ({
      title: c.pick(['退货寄回多日仍未退款', '退货进度咨询，退款没到账']),
      description: `上周申请的${c.noun}退货，快递${c.int(5, 12)}天前就已经寄回去了，单号${c.pick(['SF', 'YT', 'JD', 'ZTO'])}${c.int(1_000_000_000, 9_999_999_999)}，物流显示仓库已签收，可是退款到现在都没到账。请帮我查一下进度。`,
      occurredPlace: '退货仓库',
      situation: '退货已签收入库，退款未到账',
      demand: c.pick(['尽快退款', '今天给我回电说明退款进度']),
      firstJudgement: '需核实仓库入库检验结果及财务退款状态，当天回复客户',
    }),
  },
  // ------------------------------------------------ 通用：服务
  {
    id: 'svc_attitude', lines: 'all', category: 'service.attitude', serviceType: 'complaint', faultClass: null, prio: [0, 60, 40],
    build: (c) =>
      c.p.line === 'software' || c.chance(0.5)
        ? {
            title: c.pick(['客服态度差，要求道歉', '客服电话里不耐烦还挂电话']),
            description: `${c.pick(WHEN)}打你们客服电话问${c.noun}维修的事，客服说话很不耐烦，我还没说完就说“这个不归我们管”，然后直接挂了电话。我是你们的老客户了，这种态度太让人失望了。`,
            occurredPlace: '客服热线',
            situation: '客户来电咨询维修进度时客服挂断电话',
            demand: c.pick(['要求道歉并给出处理结果', '尽快回电说明原因']),
            firstJudgement: '服务态度投诉，需调取通话录音核实，主管当日回电致歉',
          }
        : {
            title: c.pick(['上门维修师傅态度恶劣', '维修工程师服务态度差，要求道歉']),
            description: `上门的维修师傅进门不穿鞋套，修的过程中一直抱怨我们${c.noun}装的位置不好，问他问题也爱答不理，修完地上一片狼藉就走了。希望你们管一管。`,
            occurredPlace: homePlace(c),
            situation: '上门维修过程中工程师服务不规范',
            demand: c.pick(['更换工程师并道歉', '要求道歉并给出处理结果']),
            firstJudgement: '工程师服务规范投诉，需回访核实并对工程师进行考核',
          },
  },
  {
    id: 'svc_late_visit', lines: 'all', category: 'service.broken_promise', serviceType: 'complaint', faultClass: null, prio: [2, 70, 28],
    build: (c) => {
      const [slot, late] = c.pick([['上午9点到12点', '下午两点'], ['下午2点到5点', '晚上七点'], ['上午10点', '中午一点']] as const);
      return {
        title: c.pick(['约好上门时间，师傅超时未到', '师傅爽约，白等了一天']),
        description: `约了${c.pick(['今天', '昨天'])}${slot}上门${c.p.line === 'software' ? '处理' : '修'}${c.noun}，我专门请了假在${c.p.line === 'server' || c.p.line === 'software' ? '公司' : '家'}等，一直等到${late}还没人来，打师傅电话也没人接，也没人提前通知改时间，白白浪费了一天。`,
        occurredPlace: homePlace(c),
        situation: `预约时段${slot}，工程师未到达且未提前告知`,
        demand: c.pick(['今天必须给个说法并重新安排上门', '尽快回电说明原因']),
        firstJudgement: '工程师未按预约时间到达，需核实派工记录并重新预约最早时段',
      };
    },
  },
  {
    id: 'svc_slow', lines: 'all', category: 'service.response_speed', serviceType: 'complaint', faultClass: null, prio: [3, 60, 37],
    build: (c) => ({
      title: c.pick(['报修多天无人联系，要求答复', '报修后一直没人响应']),
      description: `${c.int(3, 6)}天前就在${c.pick(['官网', '微信公众号', 'APP', '400热线'])}上报修了${c.noun}的问题，说24小时内会有人联系，结果到现在一个电话都没有。每次打过去都说已经催了，到底还要等多久？`,
      occurredPlace: '线上报修',
      situation: '报修后超过承诺时限未获响应',
      demand: c.pick(['今天之内安排人联系我', '尽快回电说明原因']),
      firstJudgement: '响应超时，查询原工单派单情况，立即指派并升级主管跟进',
    }),
  },
  {
    id: 'svc_process', lines: 'physical', category: 'service.process', serviceType: 'complaint', faultClass: null, prio: [0, 30, 70],
    build: (c) => ({
      title: c.pick(['退换货流程太繁琐，要求简化', '换货手续太麻烦，材料太多']),
      description: `申请${c.noun}换货，客服让我先拍照、再录视频、再提供发票原件，然后还要等审核${c.int(3, 7)}个工作日。明明是质量问题，为什么要我跑这么多流程？`,
      occurredPlace: '线上售后',
      situation: '客户申请换货，需提交多项材料并等待审核',
      demand: c.pick(['简化流程，尽快换货', '尽快回电说明原因']),
      firstJudgement: '流程类投诉，核实已提交材料，协调加急审核并向客户解释',
    }),
  },
  {
    id: 'svc_fee', lines: 'physical', category: 'service.broken_promise', serviceType: 'complaint', faultClass: null, prio: [0, 55, 45],
    build: (c) => ({
      title: c.pick(['说好免费维修却收了费', '承诺保内免费，实际收费']),
      description: `师傅上门前电话里说保修期内免费，修完却收了我${c.pick([80, 120, 150, 200, 260])}元，说是${c.pick(['上门费', '配件费', '高空作业费', '清洗费'])}。发票和保修卡都有，买了还不到${c.int(6, 11)}个月，请给个解释并退还费用。`,
      occurredPlace: homePlace(c),
      situation: '保修期内维修被收取费用',
      demand: '退还费用并给出解释',
      firstJudgement: '需核实保修状态与收费明细，如属保内违规收费立即退款并处理工程师',
    }),
  },
  {
    id: 'repeat_repair', lines: 'physical', category: 'product.functional_fault', serviceType: 'return_exchange', faultClass: 'hardware', prio: [5, 70, 25],
    build: (c) => ({
      title: c.pick(['同一故障修了三次，要求换新', '反复维修不好，要求换机']),
      description: `${c.noun}${REPEAT_ISSUES[c.p.line] ?? '出故障'}的问题今年已经修了${c.int(3, 4)}次了，每次师傅来换个零件好了几天又坏。按三包规定应该可以换新机吧？我不想再修了，请直接给我换一台新的。`,
      occurredPlace: homePlace(c),
      situation: '同一故障多次维修后复发',
      demand: '换新机',
      firstJudgement: '同一故障多次维修，核实维修记录，符合三包条件可申请换机',
    }),
  },
  {
    id: 'child_lock', lines: ['ac', 'washer', 'water_heater', 'fridge', 'purifier'], category: 'product.functional_fault', serviceType: 'consultation', faultClass: 'usage', prio: [0, 5, 95],
    build: (c) => ({
      title: c.pick([`${c.noun}按键没反应，是坏了吗`, `${c.noun}面板按键失灵`]),
      description: `${c.noun}面板上的按键${c.pick(WHEN)}开始怎么按都没反应，屏幕上有一个小锁的图标。家里${c.pick(['老人', '孩子', '保姆'])}不太会弄，是不是坏了？需要派人上门吗？`,
      occurredPlace: '客户家中',
      situation: '面板显示锁定图标，按键无响应',
      demand: '电话指导，不行再上门',
      firstJudgement: '童锁已开启，电话指导客户长按解锁即可，2小时后回访',
    }),
  },
  // ------------------------------------------------ 通用：其他
  {
    id: 'warranty_consult', lines: 'physical', category: 'other.consultation', serviceType: 'consultation', faultClass: null, prio: [0, 0, 100],
    build: (c) => ({
      title: c.pick(['咨询产品是否还在保修期', '发票丢了还能保修吗']),
      description: `我这台${c.noun}是${c.pick(['去年夏天', '前年年底', '三年前', '大概两年前'])}买的，现在${c.pick(['有点小毛病', '想做个保养清洗', '想加购延保'])}，想问一下还在不在保修期内？发票找不到了，只有${c.pick(['订单截图', '保修卡', '付款记录'])}，这样可以吗？`,
      occurredPlace: '电话咨询',
      situation: '客户咨询保修状态，原始发票遗失',
      demand: '告知保修状态和所需凭证',
      firstJudgement: '按序列号查询出厂及购买信息，订单截图可作为购买凭证',
    }),
  },
  {
    // 需求反馈 (seed 001): a customer asks for something the product does not do yet.
    id: 'requirement_feedback', lines: 'all', category: 'other.requirement_feedback', serviceType: 'consultation', faultClass: null, prio: [0, 0, 100],
    build: (c) => ({
      title: c.pick([`希望${c.noun}增加远程控制功能`, `希望${c.noun}支持定时提醒`, `${c.noun}的功能需求反馈`]),
      description: `我们用${c.noun}${c.pick(['半年', '一年多', '两年'])}了，现在${c.pick(['家里老人也要用', '使用的人多了', '工作安排变了'])}，希望能${c.pick(['在手机上远程查看和控制', '设置定时提醒', '导出使用记录'])}。这个需求不知道以后的版本会不会支持，能不能反馈给产品部门？`,
      occurredPlace: '电话反馈',
      situation: '客户提出现有功能之外的使用需求',
      demand: '希望反馈给产品部门并告知是否会支持',
      firstJudgement: '需求反馈，记录后转产品部门评估排期',
    }),
  },
  {
    id: 'suggestion', lines: 'all', category: 'other.suggestion', serviceType: 'consultation', faultClass: null, prio: [0, 0, 100],
    build: (c) =>
      c.chance(0.5)
        ? {
            title: c.pick(['建议报修时可选上门时间段', '建议增加维修进度查询']),
            description: `建议你们${c.pick(['APP', '公众号', '官网'])}报修时能选具体的上门时间段，现在只能等师傅打电话约，上班族很难配合。另外希望维修进度能在手机上实时查看。`,
            occurredPlace: '线上反馈',
            situation: '客户使用报修功能后的建议',
            demand: '希望采纳建议',
            firstJudgement: '产品建议，记录后转产品部门评估',
          }
        : {
            title: c.pick([`关于${c.noun}的几点建议`, c.p.line === 'software' ? '对系统操作手册的建议' : '对产品说明书的建议']),
            description: `用了你们的${c.noun}${c.int(1, 3)}年了，整体还不错，建议${c.pick(
              c.p.line === 'software'
                ? ['操作手册写得更详细一些，很多功能不知道怎么用，最好配个视频教程', '报错提示写清楚原因和处理办法，不要只显示一串错误代码', '版本升级前提前一周发通知，并说明改了哪些功能']
                : ['说明书写得更详细一些，很多功能不知道怎么用，最好配个视频教程', '把常见故障代码的含义印在机身上，出问题自己能先看看', '保养和耗材更换提醒能主动发短信通知，不用我们自己记着时间'],
            )}。`,
            occurredPlace: '线上反馈',
            situation: '客户使用一段时间后的改进建议',
            demand: '希望采纳建议',
            firstJudgement: '产品建议，记录后转产品部门评估',
          },
  },
  {
    id: 'cooperation', lines: 'all', category: 'other.cooperation', serviceType: 'complaint', faultClass: null, prio: [0, 50, 50],
    build: (c) => {
      const city = c.pick(CITY_SHORTS);
      if (c.p.line === 'software') {
        return {
          title: c.pick(['实施合作伙伴投诉结算拖延', '代理商投诉授权码迟迟未下发']),
          description: `我们是你们在${city}的${c.short}实施合作伙伴，上季度的${c.int(3, 9)}个项目分成到现在还没结算，新客户的授权码申请了${c.int(5, 15)}天也没下发，客户那边已经开始催上线了。希望总部尽快给个答复。`,
          occurredPlace: `${city}合作伙伴`,
          situation: '项目分成结算延迟，授权码下发缓慢',
          demand: '一周内结算并下发授权码',
          firstJudgement: '合作方投诉，转渠道管理部核实结算和授权审批进度',
        };
      }
      return {
        title: c.pick(['授权服务商返修件处理太慢', '代理商投诉备件结算拖延']),
        description: `我们是你们在${city}的授权服务商，上个月寄回总部的${c.int(5, 30)}台${c.noun}返修件到现在还没处理完，备件结算也拖了两个月，客户天天催，我们夹在中间很难做。希望总部给个明确的处理时间。`,
        occurredPlace: `${city}授权服务网点`,
        situation: '返修件积压、备件结算延迟',
        demand: '一周内给出处理时间和结算安排',
        firstJudgement: '合作方投诉，转渠道管理部核实返修件和结算状态',
      };
    },
  },
];

const TEMPLATE_IDS = new Set<string>();
for (const t of TEMPLATES) {
  if (TEMPLATE_IDS.has(t.id)) throw new Error(`duplicate template ${t.id}`);
  TEMPLATE_IDS.add(t.id);
}

/** Each template's problem in a few words (DemoTicketContent.fault). */
const TEMPLATE_FAULTS: Record<string, string> = {
  ac_no_cool: '不制冷',
  ac_outdoor_noise: '外机异响',
  ac_leak: '漏水',
  ac_error_code: '报故障码停机',
  electric_trip: '跳闸',
  install: '安装',
  fridge_frost: '结霜',
  fridge_no_cool: '不制冷',
  fridge_noise: '噪音大',
  fridge_door: '门封条脱落',
  washer_shake: '脱水震动',
  washer_drain: '不排水',
  washer_door: '门锁打不开',
  washer_dry: '烘不干',
  heater_e4: '不加热',
  heater_shock: '漏电',
  gas_ignite: '点火后熄火',
  gas_smell: '有燃气味',
  heater_temp: '水温忽冷忽热',
  purifier_filter: '更换滤芯',
  purifier_leak: '漏水',
  purifier_tds: 'TDS偏高',
  robot_dock: '无法回充',
  robot_wifi: '连不上WiFi',
  robot_map: '地图丢失',
  robot_brush: '边刷不转',
  laptop_black: '开机黑屏',
  laptop_bsod: '蓝屏',
  laptop_keyboard: '按键失灵',
  laptop_battery: '电池续航缩水',
  laptop_screen: '屏幕竖线',
  server_raid: 'RAID告警',
  server_down: '宕机',
  server_fan: '风扇告警',
  server_ecc: '内存ECC报错',
  server_install: '安装',
  inspection: '巡检',
  med_spo2: '血氧读数异常',
  med_selftest: '自检失败',
  med_false_alarm: '误报导联脱落',
  med_central: '连不上中央站',
  soft_login: '登录报错',
  soft_upgrade: '报表乱码',
  soft_slow: '查询超时',
  soft_howto: '审批流程设置',
  soft_api: '接口报错',
  log_late: '配送延迟',
  log_damaged: '运输磕碰',
  log_wrong: '配件漏发',
  log_return: '退款未到账',
  svc_attitude: '客服态度差',
  svc_late_visit: '上门超时',
  svc_slow: '报修无人响应',
  svc_process: '换货手续繁琐',
  svc_fee: '保内收费',
  repeat_repair: '反复维修',
  child_lock: '按键没反应',
  warranty_consult: '保修咨询',
  suggestion: '服务建议',
  requirement_feedback: '需求',
  cooperation: '合作方投诉',
};
for (const t of TEMPLATES) if (!TEMPLATE_FAULTS[t.id]) throw new Error(`template ${t.id} has no fault words`);

/** Number of distinct ticket templates (for tests and documentation). */
export const TICKET_TEMPLATE_COUNT = TEMPLATES.length;

function lineMatches(t: Template, p: DemoProductRef): boolean {
  const known = p.line in LINE_NOUN || p.line === 'software';
  const ok =
    t.lines === 'all' ||
    (t.lines === 'physical' && p.line !== 'software') ||
    (Array.isArray(t.lines) && t.lines.includes(p.line)) ||
    (!known && t.lines === 'physical');
  return ok && (t.when === undefined || t.when(p));
}

const CONSUMER_CHANNELS: readonly (readonly [Channel, number])[] = [
  ['phone', 55], ['wechat', 15], ['web', 10], ['chat', 10], ['email', 5], ['api', 5],
];
const BUSINESS_CHANNELS: readonly (readonly [Channel, number])[] = [
  ['phone', 45], ['email', 20], ['web', 10], ['wechat', 10], ['api', 10], ['chat', 5],
];
const BUSINESS_LINES = new Set(['server', 'medical', 'software']);

/** Ticket texts for one product, consistent in category, service type and fault class. */
export function generateTicketContent(rng: Rng, product: DemoProductRef): DemoTicketContent {
  const specific: Template[] = [];
  const generic: Template[] = [];
  for (const t of TEMPLATES) {
    if (!lineMatches(t, product)) continue;
    (Array.isArray(t.lines) ? specific : generic).push(t);
  }
  const pool = specific.length > 0 && (generic.length === 0 || chance(rng, 0.65)) ? specific : generic;
  const t = pick(rng, pool);
  const noun = nounFor(product);
  const ctx: Ctx = {
    p: product,
    noun,
    short: product.line === 'software' ? softwareShort(product) : noun,
    pick: (items) => pick(rng, items),
    int: (min, max) => int(rng, min, max),
    chance: (p) => chance(rng, p),
  };
  const b = t.build(ctx);
  const priority =
    b.priority ?? weighted<Priority>(rng, [['P1', t.prio[0]], ['P2', t.prio[1]], ['P3', t.prio[2]]]);
  const channel = weighted(rng, BUSINESS_LINES.has(product.line) ? BUSINESS_CHANNELS : CONSUMER_CHANNELS);
  return {
    template: t.id,
    fault: TEMPLATE_FAULTS[t.id],
    title: b.title,
    description: b.description,
    category: t.category,
    serviceType: t.serviceType,
    faultClass: t.faultClass,
    priority,
    channel,
    occurredPlace: b.occurredPlace,
    situation: b.situation,
    demand: b.demand,
    firstJudgement: b.firstJudgement,
  };
}

// ---------------------------------------------------------------- a ticket's conversation

/** What the people on a demo ticket write, all about that ticket's product and problem. */
export interface DemoThread {
  /** The owner's first internal note. */
  internalNote: string;
  /** The owner's reply to the customer. */
  reply: string;
  /** The customer's answer to that reply, in the customer's own words (written by the customer's account). */
  customerReply: string;
  /** Why the ticket waits for the customer. */
  waitingNote: string;
  /** Why it was cancelled (what the customer said, reported by the agent). */
  cancelNote: string;
  /** A collaborating department's task (a spare part shipped), or null when nothing ships. */
  subtaskTitle: string | null;
  solution: string;
  reviewComment: string;
  /** The customer's words when confirming. */
  satisfiedWords: string;
  unsatisfiedWords: string;
  followUpNote: string;
}

const ENGINEERS = ['王工', '李工', '赵工', '张师傅', '刘师傅', '周师傅'];
const SLOTS = ['明天上午9:00–11:00', '明天下午2:00–4:00', '今天下午3点左右', '周三上午', '周五下午', '后天上午10点前'];
const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六'];
const SUPERVISORS = ['刘主管', '陈主管', '周主管', '林主管'];
/** Spare parts by product line: a reply about a refrigerator never ships a hard disk. */
const PARTS_BY_LINE: Record<string, readonly string[]> = {
  ac: ['室内管温传感器', '压缩机启动电容', '室外机主板', '排水管', '室内风机电机'],
  fridge: ['门封条', '温控器', '化霜加热管', '压缩机启动器'],
  washer: ['排水泵', '门锁开关', '减震器', '进水阀'],
  water_heater: ['加热管', '温控器', '点火针', '漏电保护插头', '水流传感器'],
  purifier: ['RO反渗透膜', '快接头', '增压泵', '进水电磁阀'],
  robot: ['边刷电机', '充电座', '回充红外模块', 'WiFi模块'],
  laptop: ['键盘模组', '液晶屏总成', '电池', '主板'],
  server: ['1.2TB SAS硬盘', '电源模块', '风扇模组', '32GB内存条', 'RAID卡'],
  medical: ['血氧模块', '血氧探头', '主控板', '扬声器模块'],
};
const partFor = (rng: Rng, line: string) => pick(rng, PARTS_BY_LINE[line] ?? ['配件']);

type ThreadKind = 'repair' | 'software' | 'install' | 'inspection' | 'consult' | 'suggestion' | 'logistics' | 'complaint' | 'exchange';

function threadKind(t: DemoTicketContent, line: string): ThreadKind {
  const root = t.category.split('.')[0];
  if (root === 'logistics') return 'logistics';
  if (t.category === 'other.suggestion' || t.category === 'other.requirement_feedback') return 'suggestion';
  if (t.serviceType === 'complaint') return 'complaint';
  if (t.serviceType === 'installation') return 'install';
  if (t.serviceType === 'inspection') return 'inspection';
  if (t.serviceType === 'consultation') return 'consult';
  if (t.serviceType === 'return_exchange') return 'exchange';
  return line === 'software' || t.faultClass === 'software' ? 'software' : 'repair';
}

/**
 * The conversation of one demo ticket: notes, replies, the customer's answers, the solution and the follow-up, each
 * naming the ticket's product (noun) or its problem (fault), so a refrigerator leak is never answered about a
 * washing machine.
 */
export function generateTicketThread(rng: Rng, product: DemoProductRef, t: DemoTicketContent): DemoThread {
  const noun = nounFor(product);
  const f = t.fault;
  const eng = pick(rng, ENGINEERS);
  const slot = pick(rng, SLOTS);
  const part = partFor(rng, product.line);
  const kind = threadKind(t, product.line);
  const physical = product.line !== 'software';
  const common = {
    waitingNote: physical ? `等待客户提供${noun}铭牌照片和购买凭证，核实保修后安排处理${f}问题` : `等待客户提供${noun}的报错截图和操作日志，以便定位${f}问题`,
    cancelNote: `客户来电表示${noun}${f}的问题已自行解决，取消工单`,
    reviewComment: pick(rng, [`${noun}${f}的处理方案合理，请客户确认`, `已核对${noun}的处理记录，方案可行，请客户确认`]),
    satisfiedWords: pick(rng, [`${noun}已经好了，谢谢`, `${noun}现在用着正常了，谢谢师傅`, `${noun}${f}的问题解决了，挺满意的`]),
    unsatisfiedWords: pick(rng, [`${noun}用了两天${f}又出现了，对处理结果不满意`, `${f}的问题根本没解决，${noun}还是老样子`]),
    followUpNote: `回访：客户表示${noun}使用正常，${f}问题未再出现，满意`,
    subtaskTitle: null as string | null,
  };
  switch (kind) {
    case 'repair':
      return {
        ...common,
        internalNote: pick(rng, [
          `已电话联系客户确认${noun}${f}的现象，安排${eng}${slot}上门检测。`,
          `${noun}${f}：初判需更换${part}，已申请备件，预计${pick(rng, WEEKDAYS)}到货。`,
          `查维修记录：该${noun}此前无${f}报修，按首次故障处理，安排${eng}上门。`,
        ]),
        reply: pick(rng, [
          `您好，已收到您${noun}${f}的报修，工程师${eng}将于${slot}上门，出发前会电话联系您，请保持电话畅通。`,
          `您好，您${noun}${f}的问题需要更换${part}，配件已调拨，预计${pick(rng, WEEKDAYS)}到货后与您预约上门时间。`,
          `您好，关于${noun}${f}，可以先断电5分钟后重新开机试一下，如果仍然${f}请直接回复，我们安排工程师上门。`,
        ]),
        customerReply: pick(rng, [`好的，修${noun}的事${slot}家里有人，师傅来之前打个电话。`, `${noun}今天还是${f}，麻烦尽快安排。`, `好的，等配件到了再约时间，${noun}先不用了。`]),
        subtaskTitle: `${part}出库并寄送给客户（${noun}${f}）`,
        solution: `${eng}上门检测，${noun}${f}系${part}故障所致，已更换${part}并试机${int(rng, 20, 60)}分钟，运行正常（已测试正常）。`,
      };
    case 'software':
      return {
        ...common,
        internalNote: pick(rng, [
          `已远程查看${noun}日志，${f}可复现，已转研发定位。`,
          `研发反馈${noun}${f}为已知兼容问题，修复版本预计下周发布，先提供临时规避方案。`,
        ]),
        reply: pick(rng, [
          `您好，您反馈的${noun}${f}问题我们已复现，技术专家正在处理，将在${pick(rng, [4, 8, 24])}小时内给您答复。`,
          `您好，${noun}${f}可先清除浏览器缓存后重新登录试一下，如仍有问题请回复我们，我们安排远程协助。`,
        ]),
        customerReply: pick(rng, [`${noun}今天上午又${f}了一次，截图已发到邮箱。`, `好的，我们等${noun}的修复版本，急用的话有没有临时办法？`]),
        solution: `已为客户${noun}升级至修复版本并远程验证，${f}问题不再出现（已测试正常）。`,
      };
    case 'install':
      return {
        ...common,
        internalNote: `已与客户确认${noun}安装位置和电源条件，安排${eng}${slot}上门安装。`,
        reply: `您好，您的${noun}安装已预约，${eng}将于${slot}上门，请提前确认安装位置附近有电源。`,
        customerReply: `好的，${noun}放在${pick(rng, ROOMS)}，${slot}家里有人。`,
        solution: `${eng}已完成${noun}安装调试，现场试机正常，并向客户讲解了使用方法（已测试正常）。`,
      };
    case 'inspection':
      return {
        ...common,
        internalNote: `${noun}巡检已排期，安排${eng}${slot}到现场，携带检测工具。`,
        reply: `您好，${noun}的巡检已安排在${slot}，${eng}到场前会电话联系设备负责人。`,
        customerReply: `好的，${slot}设备科有人，${noun}巡检期间我们会安排备用机。`,
        solution: `${eng}已完成${noun}巡检与校准，各项指标在正常范围，巡检报告已发送客户（已测试正常）。`,
      };
    case 'consult':
      return {
        ...common,
        internalNote: `客户咨询${noun}${f}，已电话说明，准备短信发送操作步骤。`,
        reply: pick(rng, [`您好，关于${noun}${f}，操作步骤已通过短信发给您，如仍有疑问请随时回复。`, `您好，您咨询的${noun}${f}问题，我们的答复是：请按说明书第3章操作，也可预约工程师上门指导。`]),
        customerReply: `好的，${noun}我按短信上的步骤试一下。`,
        solution: `已向客户说明${noun}${f}的处理方式，客户按步骤操作后确认没问题（已测试正常）。`,
      };
    case 'suggestion':
      return {
        ...common,
        internalNote: `客户关于${noun}的${f}已整理，转产品部门评估。`,
        reply: `您好，您对${noun}售后服务的建议我们已记录并转交产品部门，非常感谢您的宝贵意见！`,
        customerReply: `谢谢，希望${noun}的报修流程能早点改进。`,
        solution: `客户关于${noun}的${f}已转产品部门并纳入改进计划，已告知客户（已测试正常）。`,
      };
    case 'logistics':
      return {
        ...common,
        internalNote: pick(rng, [
          `与物流部确认：${noun}包裹在${pick(rng, CITY_SHORTS)}中转站滞留，承运商承诺${pick(rng, WEEKDAYS)}前派送。`,
          `${noun}${f}：已核实订单，登记物流异常，等待仓库处理。`,
        ]),
        reply: pick(rng, [
          `您好，您的${noun}${f}问题我们已联系物流加急处理，预计${pick(rng, WEEKDAYS)}前给您结果，届时会电话通知您。`,
          `您好，${noun}${f}已登记，快递员将于${slot}上门取件或补发，请保持电话畅通。`,
        ]),
        customerReply: `好的，${noun}的事麻烦尽快，${slot}家里有人。`,
        unsatisfiedWords: `${noun}${f}的事到现在还没处理好，不满意`,
        followUpNote: `回访：${noun}${f}的事已处理完毕，客户满意`,
        subtaskTitle: `${noun}补发或退货取件（${f}）`,
        solution: `${noun}${f}已处理：物流部已补发/取件并确认客户签收，相关费用由我方承担（已测试正常）。`,
      };
    case 'complaint':
      return {
        ...common,
        internalNote: pick(rng, [
          `客户投诉${f}（${noun}报修），情绪较激动，回访时先致歉。`,
          `调取${noun}报修的通话录音核实${f}，情况属实，已报${pick(rng, SUPERVISORS)}。`,
        ]),
        reply: `非常抱歉！您反馈的${f}问题我们已核实，${noun}的报修后续由${pick(rng, SUPERVISORS)}专门跟进，今天内给您答复。`,
        customerReply: `希望这次${noun}的事能认真处理，别再敷衍了。`,
        unsatisfiedWords: `对${f}的处理结果不满意，${noun}的问题也一直没人管`,
        followUpNote: `回访：客户接受对${f}的处理结果，${noun}使用正常`,
        solution: `已就${f}向客户致歉并整改，${noun}的报修已安排${eng}优先处理，相关人员已纳入考核（已测试正常）。`,
      };
    case 'exchange':
      return {
        ...common,
        internalNote: `查维修记录：该${noun}30天内同一故障第${int(rng, 2, 3)}次报修，已提交换机审批。`,
        reply: `您好，您${noun}${f}的情况已核实，换机申请已提交，新机将于${int(rng, 2, 5)}天内送达并回收旧机。`,
        customerReply: `好的，换新的${noun}送来前麻烦先打电话。`,
        subtaskTitle: `新${noun}出库配送并回收旧机`,
        solution: `${noun}${f}：已为客户更换新机，旧机回收检测，新机试机正常（已测试正常）。`,
      };
  }
}

// ---------------------------------------------------------------- load benchmark

interface BenchCase {
  model: string;
  prefix: string;
  title: string;
  /** Fault sentence; `#` is replaced by a small number derived from i. */
  body: string;
}

// Each title is 10–12 characters and contains a fault word (漏水, 制冷, 异响, 黑屏 …); each body is 18–24 characters with one `#`.
const BENCH_CASES: readonly BenchCase[] = [
  { model: 'KFR-35GW/BP3DN8Y', title: '客厅空调突然不制冷了', body: '空调开了#个小时还是不制冷，出风口吹的是热风' },
  { model: 'KFR-72LW/BP2DN1Y', title: '立柜空调室内机漏水', body: '空调室内机一直漏水，#个小时接了小半盆水' },
  { model: 'KFR-26GW/BP3DN8Y', title: '空调外机运行异响严重', body: '空调外机一开就有咔咔的异响，晚上#点后特别明显' },
  { model: 'BCD-470WDPG', title: '冰箱冷藏室结霜很严重', body: '冰箱冷藏室后壁结霜，#天就要除一次霜' },
  { model: 'BCD-218TMPS', title: '冰箱冷冻室不制冷了', body: '冰箱冷冻室不制冷，肉放了#个小时全化了' },
  { model: 'XQG100-BD14126L', title: '洗衣机脱水时震动异响', body: '洗衣机脱水时剧烈震动还有异响，才用了#次' },
  { model: 'XQB80-Z3558', title: '洗衣机底部漏水不排水', body: '洗衣机底部漏水，桶里的水排不出去，已经#天了' },
  { model: 'ES60H-MC5', title: '热水器显示故障码不加热', body: '热水器显示E4故障不加热，家里#口人都洗不了澡' },
  { model: 'JSQ25-13WD5', title: '燃气热水器点火后熄火', body: '燃气热水器点火几秒就熄火，打了#次都不行' },
  { model: 'HRO5019-4', title: '净水器接头漏水泡了地板', body: '净水器进水接头漏水，厨房地板泡了#块' },
  { model: 'RV-T8 Pro', title: '扫地机器人回充失败', body: '扫地机器人找不到充电座，回充失败了#次' },
  { model: 'AX14-Pro', title: '笔记本电脑开机黑屏', body: '笔记本开机黑屏，电源灯亮但屏幕不亮，试了#次' },
  { model: 'AX16-G7', title: '笔记本升级后频繁蓝屏', body: '笔记本系统更新后蓝屏，一天要重启#次' },
  { model: 'R740-S', title: '服务器RAID阵列告警', body: '服务器RAID告警，#号盘位亮黄灯，阵列降级' },
  { model: 'R540-S', title: '服务器突然宕机无法启动', body: '服务器宕机后无法启动，#号机柜业务中断' },
  { model: 'PM-9000A', title: '监护仪血氧读数异常', body: '监护仪血氧读数异常，#号床一直误报警' },
].map((c) => ({ ...c, prefix: serialPrefix(c.model) }));

const BENCH_GREETINGS = ['您好，', '师傅您好，', '你好，', '麻烦帮忙看一下，', '客服您好，', '我想报修，'];
const BENCH_DETAILS = [
  '断电重启过也还是没有用',
  '说明书上的方法我都试过了',
  '家里老人小孩都等着急用',
  '之前一直都用得好好的没问题',
  '自己检查了一遍没发现问题',
];
// Bodies split once at the number placeholder, so each call only concatenates.
const BENCH_BODY_PARTS = BENCH_CASES.map((c) => {
  const at = c.body.indexOf('#');
  return [c.body.slice(0, at), c.body.slice(at + 1)] as const;
});
const BENCH_DEMANDS = ['希望尽快安排师傅上门。', '请尽快回电联系我。', '麻烦48小时内上门处理。', '要求上门检修或换新。'];
const BENCH_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const BENCH_TITLE_TAILS = ['，请尽快处理', '，急', '，请安排上门', '，求助', ''];

/**
 * A realistic ticket create body for the load benchmark; cheap (string concatenation only).
 * Title 12–18 characters, description 55–90 characters, texts vary with i.
 */
export function benchTicketBody(i: number): TicketCreateBody {
  const n = Math.abs(Math.trunc(i));
  const k = n % BENCH_CASES.length;
  const c = BENCH_CASES[k];
  const [bodyHead, bodyTail] = BENCH_BODY_PARTS[k];
  const q = Math.floor(n / BENCH_CASES.length);
  const tail = BENCH_TITLE_TAILS[q % BENCH_TITLE_TAILS.length];
  const title = c.title.length + tail.length >= 12 ? c.title + tail : c.title + '，请尽快处理';
  const description =
    BENCH_GREETINGS[q % BENCH_GREETINGS.length] +
    bodyHead +
    String(2 + (n % 7)) +
    bodyTail +
    '，' +
    BENCH_DETAILS[(q >>> 1) % BENCH_DETAILS.length] +
    '。' +
    BENCH_DEMANDS[(q >>> 2) % BENCH_DEMANDS.length] +
    '报修单号' +
    pad(n % 100_000_000, 8) +
    '。';
  const h = n % 20;
  return {
    title,
    description,
    channel: 'phone',
    customer: {
      name: BENCH_SURNAMES[(n * 7) % BENCH_SURNAMES.length] + ((n & 1) === 0 ? '先生' : '女士'),
      phone: '170' + pad((n * 7919) % 100_000_000, 8),
    },
    productModel: c.model,
    serialNumber: `SN${c.prefix}${pad(n % 100_000_000, 8)}`,
    priority: h < 2 ? 'P1' : h < 9 ? 'P2' : 'P3',
  };
}
