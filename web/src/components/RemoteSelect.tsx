import { useState } from 'react';
import { Select, Spin } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Query } from '../api/client';
import type { Paged, SchoolListItem, StudentListItem, TeacherListItem } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

interface Option {
  value: number;
  label: string;
}

/**
 * A select whose options come from a paged list endpoint, searched on the server (so
 * pinyin and initials work here too). The selected item keeps its label even when it is
 * not among the current search results.
 */
function RemoteSelect({ value, onChange, path, extraQuery, toOption, labelOf, placeholder, width, testId, disabled }: {
  value?: number;
  onChange?: (v: number | undefined) => void;
  path: string;
  extraQuery?: Query;
  toOption: (item: never) => Option;
  labelOf?: (id: number) => Promise<string>;
  placeholder: string;
  width?: number | string;
  testId?: string;
  disabled?: boolean;
}) {
  const [search, setSearch] = useState('');
  const [known, setKnown] = useState<Record<number, string>>({});
  const list = useQuery({
    queryKey: [path, 'options', search, extraQuery],
    queryFn: () => api.get<Paged<never>>(path, { q: search || undefined, pageSize: 50, ...extraQuery }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    enabled: !disabled,
  });
  const options = (list.data?.items ?? []).map(toOption);
  const selectedMissing = value !== undefined && !options.some((o) => o.value === value);
  const selectedLabel = useQuery({
    queryKey: [path, 'label', value],
    queryFn: () => labelOf!(value!),
    enabled: selectedMissing && !known[value!] && !!labelOf,
    staleTime: Infinity,
  });
  if (selectedMissing) options.unshift({ value: value!, label: known[value!] ?? selectedLabel.data ?? `#${value}` });

  return (
    <Select<number>
      allowClear
      showSearch
      filterOption={false}
      value={value}
      disabled={disabled}
      placeholder={placeholder}
      aria-label={placeholder}
      data-testid={testId}
      style={{ width }}
      options={options}
      onSearch={setSearch}
      notFoundContent={list.isFetching ? <Spin size="small" /> : undefined}
      onChange={(v, opt) => {
        if (v !== undefined && opt && !Array.isArray(opt)) setKnown((k) => ({ ...k, [v]: String(opt.label) }));
        setSearch('');
        onChange?.(v);
      }}
    />
  );
}

export function SchoolSelect(props: { value?: number; onChange?: (v: number | undefined) => void; width?: number | string; testId?: string; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <RemoteSelect
      {...props}
      width={props.width ?? 240}
      path="/api/schools"
      placeholder={t('filter.school')}
      toOption={(s: SchoolListItem) => ({ value: s.id, label: s.name })}
      labelOf={async (id) => (await api.get<{ name: string }>(`/api/schools/${id}`)).name}
    />
  );
}

export function TeacherSelect(props: { value?: number; onChange?: (v: number | undefined) => void; schoolId?: number; width?: number | string; testId?: string; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <RemoteSelect
      {...props}
      width={props.width ?? '100%'}
      path="/api/teachers"
      extraQuery={{ schoolId: props.schoolId }}
      placeholder={t('filter.teacher')}
      toOption={(x: TeacherListItem) => ({ value: x.id, label: `${x.name}（${x.schoolName}）` })}
      labelOf={async (id) => (await api.get<{ name: string }>(`/api/teachers/${id}`)).name}
    />
  );
}

export function StudentSelect(props: { value?: number; onChange?: (v: number | undefined) => void; schoolId?: number; classId?: number; placeholder: string; width?: number | string; testId?: string; disabled?: boolean }) {
  return (
    <RemoteSelect
      {...props}
      width={props.width ?? '100%'}
      path="/api/students"
      extraQuery={{ schoolId: props.schoolId, classId: props.classId }}
      toOption={(x: StudentListItem) => ({ value: x.id, label: `${x.name}（${x.className ?? x.schoolName}）` })}
      labelOf={async (id) => (await api.get<{ name: string }>(`/api/students/${id}`)).name}
    />
  );
}
