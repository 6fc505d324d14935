import { useCallback } from 'react';
import { useI18n } from './I18nProvider';
import { valueLabel, type ValueFamily } from './values';

/** `label('schoolKind', s.kind)`: a stored value in the chosen language (see values.ts). */
export function useLabel(): (family: ValueFamily, value: string | number, serverLabel?: string | null) => string {
  const { tx } = useI18n();
  return useCallback((family, value, serverLabel) => valueLabel(tx, family, value, serverLabel), [tx]);
}
