// Request bodies shared by API test files.

/** A ticket create body with every field of SPEC §2–3 filled (a phone call about an air conditioner). */
export const fullTicketBody = (over: Record<string, unknown> = {}) => ({
  title: '客厅空调不制冷',
  description: '客户说空调开机半小时后仍然吹热风，外机有异响，型号KFR-35GW/BP3DN8Y，去年夏天安装。',
  channel: 'phone',
  reportedAt: '2026-11-23T01:30:00.000Z',
  customer: { name: '王先生', phone: '+86 139-1111-2222', email: 'wang@example.com' },
  productModel: 'KFR-35GW/BP3DN8Y',
  serialNumber: 'SN-AC-0001',
  purchaseDate: '2025-06-01',
  occurredAt: '2026-11-22T12:00:00.000Z',
  occurredPlace: '客厅',
  situation: '制冷模式 26 度',
  demand: '48小时内上门维修',
  firstJudgement: '疑似冷媒泄漏',
  category: null,
  serviceType: 'repair',
  faultClass: 'hardware',
  priority: 'P2',
  ...over,
});
