import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/I18nProvider';

export function PageHeader({ title, extra, back, subTitle }: { title: ReactNode; extra?: ReactNode; back?: boolean; subTitle?: ReactNode }) {
  const navigate = useNavigate();
  const { t } = useI18n();
  return (
    <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 16 }}>
      <Flex align="center" gap={8} style={{ minWidth: 0 }}>
        {back && (
          <Typography.Link onClick={() => navigate(-1)} aria-label={t('common.back')}>
            <ArrowLeftOutlined />
          </Typography.Link>
        )}
        <Typography.Title level={4} style={{ margin: 0 }}>{title}</Typography.Title>
        {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
      </Flex>
      {extra && <Flex wrap gap={8}>{extra}</Flex>}
    </Flex>
  );
}
