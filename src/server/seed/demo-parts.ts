// Demo spare parts: a central warehouse, the vans of the home-appliance engineers (王工, 赵工) and the IT engineer
// (李工), the parts the demo products really wear out (capacitors, drain hoses, door seals, filters …) with their
// compatible models, stock received weeks ago, parts taken into the vans and used on repair tickets since — and a few
// left below their threshold, so /parts and the managers' bell have something to show. Written through PartsService,
// so the ledger and the balances are the real thing.
import type { PartBody } from '../../shared/parts.js';
import type { Actor } from '../domain/access.js';
import type { Services } from '../services.js';

const DAY = 24 * 3600_000;

type DemoPart = Omit<PartBody, 'active'> & { stock: number; vans?: Partial<Record<'engineer' | 'engineer2' | 'engineer3', number>>; used?: number };

export const DEMO_PARTS: DemoPart[] = [
  { code: 'AC-CAP-35', nameZh: '空调压缩机电容 35μF', nameEn: 'Compressor run capacitor 35 μF', uom: 'piece', unitCost: 1850, listPrice: 4500, lowStockThreshold: 10, productModels: ['KFR-35GW/BP3DN8Y', 'KFR-26GW/BP3DN8Y'], stock: 40, vans: { engineer: 6 }, used: 4 },
  { code: 'AC-CAP-FAN', nameZh: '空调外机风扇电容 2.5μF', nameEn: 'Outdoor fan capacitor 2.5 μF', uom: 'piece', unitCost: 650, listPrice: 2000, lowStockThreshold: 10, productModels: ['KFR-35GW/BP3DN8Y', 'KFR-26GW/BP3DN8Y', 'KFR-72LW/BP2DN1Y'], stock: 12, vans: { engineer: 4 }, used: 2 },
  { code: 'AC-DRAIN-2M', nameZh: '空调排水管 2 米', nameEn: 'AC drain hose 2 m', uom: 'piece', unitCost: 800, listPrice: 2500, lowStockThreshold: 20, productModels: ['KFR-35GW/BP3DN8Y', 'KFR-26GW/BP3DN8Y', 'KFR-72LW/BP2DN1Y'], stock: 60, vans: { engineer: 8 }, used: 3 },
  { code: 'AC-COND-35', nameZh: '空调冷凝器（1.5 匹外机）', nameEn: 'Condenser coil (1.5 HP outdoor unit)', uom: 'piece', unitCost: 32000, listPrice: 68000, lowStockThreshold: 3, productModels: ['KFR-35GW/BP3DN8Y'], stock: 4, used: 0 },
  { code: 'AC-R32-1KG', nameZh: 'R32 冷媒 1 千克', nameEn: 'R32 refrigerant 1 kg', uom: 'kg', unitCost: 4500, listPrice: 12000, lowStockThreshold: 8, productModels: ['KFR-35GW/BP3DN8Y', 'KFR-26GW/BP3DN8Y', 'KFR-72LW/BP2DN1Y', 'RFC120MXS'], stock: 9, vans: { engineer: 3 }, used: 2 },
  { code: 'AC-FILTER-S', nameZh: '空调室内机过滤网（挂机）', nameEn: 'Indoor unit air filter (wall-mounted)', uom: 'piece', unitCost: 900, listPrice: 3000, lowStockThreshold: 15, productModels: ['KFR-35GW/BP3DN8Y', 'KFR-26GW/BP3DN8Y'], stock: 50, vans: { engineer: 6 } },
  { code: 'AC-PCB-IN35', nameZh: '空调内机主控板', nameEn: 'Indoor unit control board', uom: 'piece', unitCost: 18000, listPrice: 42000, lowStockThreshold: 4, productModels: ['KFR-35GW/BP3DN8Y'], stock: 6, used: 1 },
  { code: 'FR-THERM-01', nameZh: '冰箱温度传感器', nameEn: 'Refrigerator temperature sensor', uom: 'piece', unitCost: 1200, listPrice: 3800, lowStockThreshold: 10, productModels: ['BCD-470WDPG', 'BCD-218TMPS'], stock: 30, vans: { engineer: 4 }, used: 2 },
  { code: 'FR-GASKET-470', nameZh: '冰箱门封条（对开门）', nameEn: 'Refrigerator door gasket (side-by-side)', uom: 'piece', unitCost: 5500, listPrice: 12800, lowStockThreshold: 5, productModels: ['BCD-470WDPG'], stock: 5, used: 1 },
  { code: 'WM-SEAL-100', nameZh: '滚筒洗衣机门封圈', nameEn: 'Front-loader door seal', uom: 'piece', unitCost: 6000, listPrice: 15000, lowStockThreshold: 6, productModels: ['XQG100-BD14126L', 'XQG100-HBD14756U1'], stock: 14, vans: { engineer3: 3 }, used: 2 },
  { code: 'WM-PUMP-01', nameZh: '洗衣机排水泵', nameEn: 'Washing machine drain pump', uom: 'piece', unitCost: 7500, listPrice: 18000, lowStockThreshold: 6, productModels: ['XQG100-BD14126L', 'XQB80-Z3558', 'XQG100-HBD14756U1'], stock: 8, vans: { engineer3: 2 }, used: 2 },
  { code: 'WM-DAMPER-01', nameZh: '洗衣机减震器（一对）', nameEn: 'Washing machine shock absorbers (pair)', uom: 'set', unitCost: 4200, listPrice: 9800, lowStockThreshold: 8, productModels: ['XQG100-BD14126L', 'XQG100-HBD14756U1'], stock: 20, vans: { engineer3: 4 }, used: 3 },
  { code: 'WM-BELT-01', nameZh: '波轮洗衣机皮带', nameEn: 'Top-loader drive belt', uom: 'piece', unitCost: 1500, listPrice: 4000, lowStockThreshold: 5, productModels: ['XQB80-Z3558'], stock: 15, vans: { engineer3: 2 } },
  { code: 'WH-ANODE-01', nameZh: '热水器镁棒', nameEn: 'Water heater magnesium anode', uom: 'piece', unitCost: 2500, listPrice: 8000, lowStockThreshold: 10, productModels: ['ES60H-MC5', 'ES80H-GD3'], stock: 25, vans: { engineer3: 5 }, used: 3 },
  { code: 'WH-HEATER-2K', nameZh: '热水器加热管 2000W', nameEn: 'Water heater element 2000 W', uom: 'piece', unitCost: 6800, listPrice: 16000, lowStockThreshold: 4, productModels: ['ES60H-MC5', 'ES80H-GD3'], stock: 3, used: 0 },
  { code: 'PU-RO-500', nameZh: '净水器 RO 反渗透滤芯', nameEn: 'RO membrane cartridge', uom: 'piece', unitCost: 15000, listPrice: 39900, lowStockThreshold: 10, productModels: ['HRO5019-4', 'HRO7519-5'], stock: 18, vans: { engineer3: 3 }, used: 2 },
  { code: 'PU-PP-01', nameZh: '净水器 PP 棉滤芯', nameEn: 'PP sediment filter cartridge', uom: 'piece', unitCost: 1800, listPrice: 5900, lowStockThreshold: 20, productModels: ['HRO5019-4', 'HRO7519-5'], stock: 16, vans: { engineer3: 4 } },
  { code: 'RB-BRUSH-T8', nameZh: '扫地机器人边刷（2 只装）', nameEn: 'Robot vacuum side brushes (2-pack)', uom: 'set', unitCost: 600, listPrice: 2900, lowStockThreshold: 10, productModels: ['RV-T8 Pro', 'RV-X10'], stock: 40 },
  { code: 'LP-BATT-AX14', nameZh: 'AX14 笔记本电池', nameEn: 'AX14 laptop battery', uom: 'piece', unitCost: 22000, listPrice: 49900, lowStockThreshold: 3, productModels: ['AX14-Pro'], stock: 6, vans: { engineer2: 2 }, used: 1 },
  { code: 'SV-PSU-750', nameZh: '服务器电源模块 750W', nameEn: 'Server power supply 750 W', uom: 'piece', unitCost: 85000, listPrice: 168000, lowStockThreshold: 2, productModels: ['R740-S', 'R540-S'], stock: 4, vans: { engineer2: 1 } },
];

/** Stock locations and parts as of `now`: received 40 days ago, vans filled 30 days ago, used on tickets since. */
export async function seedDemoParts(s: Services, setClock: (ms: number) => void, now: number, actors: { manager: Actor; engineers: Record<'engineer' | 'engineer2' | 'engineer3', Actor> }) {
  const { manager, engineers } = actors;
  setClock(now - 40 * DAY);
  const warehouse = await s.parts.catalog.createLocation(manager, { code: 'WH-SH-01', name: '上海中心仓', kind: 'warehouse' });
  const vans = {
    engineer: await s.parts.catalog.createLocation(manager, { code: 'VAN-WANG', name: '王工车载库', kind: 'van', ownerId: engineers.engineer.id }),
    engineer2: await s.parts.catalog.createLocation(manager, { code: 'VAN-LI', name: '李工车载库', kind: 'van', ownerId: engineers.engineer2.id }),
    engineer3: await s.parts.catalog.createLocation(manager, { code: 'VAN-ZHAO', name: '赵工车载库', kind: 'van', ownerId: engineers.engineer3.id }),
  };
  // Closed repair tickets per product model: parts are used on the jobs they fit.
  const tickets = await s.ctx.db.read
    .selectFrom('tickets')
    .select(['number', 'product_model', 'assignee_id'])
    .where('status', '=', 'closed')
    .where('product_model', 'is not', null)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  let step = 0;
  for (const d of DEMO_PARTS) {
    const { stock, vans: inVans, used, ...body } = d;
    const part = await s.parts.catalog.create(manager, { ...body, active: true });
    setClock(now - 40 * DAY + step * 60_000);
    await s.parts.moves.move(manager, { kind: 'receive', partId: part.id, qty: stock, toLocationId: warehouse.id, reason: '采购入库' }, undefined);
    for (const [who, qty] of Object.entries(inVans ?? {}) as ['engineer' | 'engineer2' | 'engineer3', number][]) {
      setClock(now - 30 * DAY + step * 60_000);
      await s.parts.moves.move(engineers[who], { kind: 'transfer', partId: part.id, qty, fromLocationId: warehouse.id, toLocationId: vans[who].id, reason: '领用到车' }, undefined);
      const jobs = tickets.filter((t) => t.product_model !== null && d.productModels.includes(t.product_model));
      for (let i = 0; i < Math.min(used ?? 0, qty, jobs.length); i++) {
        setClock(now - (25 - i * 6) * DAY + step * 60_000);
        await s.parts.moves.move(engineers[who], { kind: 'consume', partId: part.id, qty: 1, fromLocationId: vans[who].id, ticketNumber: jobs[i]!.number }, undefined);
      }
    }
    step++;
  }
  setClock(now);
  return { warehouse: warehouse.id, vans: Object.values(vans).map((v) => v.id), parts: DEMO_PARTS.length };
}
