import type { ReactNode } from 'react';
import { Flex } from 'antd';
import { useIsMobile } from './useIsMobile';

/** The search box and filters above a list; one column on a phone. */
export function FilterBar({ children }: { children: ReactNode }) {
  const isMobile = useIsMobile();
  return (
    <Flex wrap gap={8} vertical={isMobile} className={isMobile ? 'filter-bar mobile' : 'filter-bar'} style={{ marginBottom: 12 }}>
      {children}
    </Flex>
  );
}
