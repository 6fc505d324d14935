import { useState, type ReactNode } from 'react';
import { Badge, Button, Flex } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18nProvider';
import { useIsMobile } from './useIsMobile';

/**
 * The search box and filters above a list. On a phone the filters fold away behind one
 * button (five stacked selects would push the list off the first screen) and take the
 * full width when opened.
 */
export function FilterBar({ search, activeCount = 0, children }: { search?: ReactNode; activeCount?: number; children?: ReactNode }) {
  const isMobile = useIsMobile();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!isMobile) {
    return (
      <Flex wrap gap={8} className="filter-bar" style={{ marginBottom: 12 }}>
        {search}
        {children}
      </Flex>
    );
  }
  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }}>
      <Flex gap={8} className="filter-bar-search">
        <div style={{ flex: 1, minWidth: 0 }}>{search}</div>
        {children && (
          <Badge count={activeCount} size="small">
            <Button icon={<FilterOutlined />} onClick={() => setOpen(!open)} aria-expanded={open} data-testid="filter-toggle">
              {open ? t('filter.hide') : t('filter.more')}
            </Button>
          </Badge>
        )}
      </Flex>
      {open && children && <Flex vertical gap={8} className="filter-bar mobile">{children}</Flex>}
    </Flex>
  );
}
