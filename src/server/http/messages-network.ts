// Server texts of the service network (服务网点, issue 16): providers, their people, profiles, field settings.
type Dict = Record<string, string>;

export const networkZh: Dict = {
  'error.provider_not_found': '服务商不存在',
  'error.provider_reply': '服务商人员只能写内部备注，回复客户由本公司完成',
  'error.provider_visit_engineer': '只能派给本服务商的工程师',
  'error.provider_cancel': '服务商不能取消上门，请联系派单的调度',
  'field.provider_name_taken': '已有同名服务商',
  'field.provider_role': '服务商人员只能是工程师或调度',
  'field.provider_department': '服务商人员不属于本公司的部门',
  'field.provider_inactive': '服务商已停用',
  'field.area_pair_same': '两个区域不能相同',
  'field.area_pair_repeated': '该区域组合已设置过',
  'visit.reason.external': '外部服务商：{provider}',
};

export const networkEn: Dict = {
  'error.provider_not_found': 'The service provider does not exist',
  'error.provider_reply': "A provider's people write internal notes; the company answers the customer",
  'error.provider_visit_engineer': "Dispatch only to your own provider's engineers",
  'error.provider_cancel': 'A service provider cannot cancel a visit; ask the dispatcher who booked it',
  'field.provider_name_taken': 'A provider with this name exists',
  'field.provider_role': "A provider's people are engineers or dispatchers",
  'field.provider_department': "A provider's people belong to none of the company's departments",
  'field.provider_inactive': 'The service provider is inactive',
  'field.area_pair_same': 'The two areas must differ',
  'field.area_pair_repeated': 'This pair of areas is set already',
  'visit.reason.external': 'External service provider: {provider}',
};
