// Server texts of completing a visit (issue 16): report, parts used, photos, signature, quote and payment.
type Dict = Record<string, string>;

export const visitReportZh: Dict = {
  'error.visit_not_on_site': '上门当前为“{status}”：到达后、离开前才能记录服务报告、备件、照片和报价',
  'error.visit_photo_type': '现场照片须为图片文件',
  'error.signature_type': '签名须为 PNG 图片',
  'error.signature_too_large': '签名图片过大（最大 {max} KB）',
  'error.visit_already_signed': '客户已签字，不能重复签字',
  'error.visit_no_quote': '请先报价并由客户确认，再记录收费',
  'error.visit_already_charged': '该上门已收费（收据 {receipt}）',
  'error.visit_quote_changed': '报价 ¥{quoted} 与现在的费用 ¥{now} 不一致（故障类别或备件有变）：请重新报价并请客户确认',
  'field.visit_no_van': '该工程师没有车载库，请选择从哪个仓库预留',
  'field.report_fault_class_unknown': '请选择产品的故障类别',
  'field.payment_amount': '收款金额须为不小于 0 的整数（分）',
  'field.payment_over_quote': '收款金额不能超过报价 ¥{total}',
  'field.payment_reference': '转账或扫码付款请填写付款流水号',
};

export const visitReportEn: Dict = {
  'error.visit_not_on_site': 'The visit is "{status}": the report, parts, photos and quote are recorded between arrival and leaving',
  'error.visit_photo_type': 'A visit photo must be an image',
  'error.signature_type': 'The signature must be a PNG image',
  'error.signature_too_large': 'The signature image is too large (at most {max} KB)',
  'error.visit_already_signed': 'The customer has already signed',
  'error.visit_no_quote': 'Quote first and have the customer accept it before recording a payment',
  'error.visit_already_charged': 'This visit has been charged already (receipt {receipt})',
  'error.visit_quote_changed': 'The quote of ¥{quoted} no longer matches the charges of ¥{now} (fault class or parts changed): quote again and have the customer accept it',
  'field.visit_no_van': 'This engineer has no van: choose the warehouse to reserve from',
  'field.report_fault_class_unknown': "Choose one of the product's fault classes",
  'field.payment_amount': 'The amount must be a whole number of fen, not negative',
  'field.payment_over_quote': 'The amount cannot exceed the quote of ¥{total}',
  'field.payment_reference': 'A transfer or QR payment needs its reference',
};
