// Form controls bound to reference data (departments, users, categories) and to the closed vocabularies.
import { useMemo } from 'react';
import { Select, TreeSelect, type SelectProps, type TreeSelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { buildCategoryTree, useCategories, useDepartments, useUsers } from '../api/queries.js';

type Value = string | number;

/** Select over an enum: options labelled `t(`${ns}.${value}`)`. */
export function EnumSelect<V extends string>({
  values,
  ns,
  withValue = false,
  ...props
}: { values: readonly V[]; ns: string; withValue?: boolean } & Omit<SelectProps<V | V[]>, 'options'>) {
  const { t } = useTranslation();
  const options = values.map((v) => ({ value: v, label: withValue ? `${v} ${t(`${ns}.${v}`)}` : t(`${ns}.${v}`) }));
  return <Select<V | V[]> options={options} {...props} />;
}

export function DepartmentSelect(props: Omit<SelectProps<number>, 'options'>) {
  const { t } = useTranslation();
  const { items, isLoading } = useDepartments();
  const options = useMemo(() => items.map((d) => ({ value: d.id, label: d.name })), [items]);
  return (
    <Select<number>
      options={options}
      loading={isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('common.selectDepartment')}
      {...props}
    />
  );
}

/** Users, optionally only those of one department. Extra options (e.g. "me", "unassigned") go first. */
export function UserSelect({
  departmentId,
  extraOptions = [],
  ...props
}: {
  departmentId?: number | null;
  extraOptions?: { value: Value; label: string }[];
} & Omit<SelectProps<Value>, 'options'>) {
  const { t } = useTranslation();
  const params = departmentId ? { departmentId } : {};
  const { items, isLoading } = useUsers(params);
  const options = useMemo(
    () => [
      ...extraOptions,
      ...items
        .filter((u) => u.active && u.role !== 'customer' && !extraOptions.some((o) => o.value === u.id))
        .map((u) => ({ value: u.id, label: `${u.displayName} · ${t(`role.${u.role}`)}` })),
    ],
    [items, extraOptions, t],
  );
  return (
    <Select<Value>
      options={options}
      loading={isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('common.selectUser')}
      {...props}
    />
  );
}

export function CategoryTreeSelect(props: Omit<TreeSelectProps<string>, 'treeData'>) {
  const { t } = useTranslation();
  const { items, isLoading } = useCategories();
  const treeData = useMemo(() => buildCategoryTree(items), [items]);
  return (
    <TreeSelect<string>
      treeData={treeData}
      loading={isLoading}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      placeholder={t('common.selectCategory')}
      popupMatchSelectWidth={false}
      {...props}
    />
  );
}
