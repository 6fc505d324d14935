import { useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, Row, Table, Typography } from 'antd';
import { BankOutlined, ExperimentOutlined } from '@ant-design/icons';
import { setupBody, type SetupBody } from '@modules/setup/setup.schemas';
import { api } from '../../api/client';
import type { DemoAccount } from '../../api/types';
import { DemoProgressView, useDemoJob } from './DemoLoad';
import { passwordRule, zodRule } from '../../components/formRules';
import { useI18n } from '../../i18n/I18nProvider';
import { valueLabel } from '../../i18n/values';
import { PublicPage } from '../../layout/PublicPage';

type SetupForm = SetupBody & { confirmPassword: string };

export default function FirstRunPage() {
  const { t, tx } = useI18n();
  const [form] = Form.useForm<SetupForm>();
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const demo = useDemoJob();
  const demoLoading = demo.running;
  const demoAccounts = demo.view?.status === 'done' ? demo.view.accounts : null;
  const demoError = demo.startError ?? (demo.view?.status === 'failed' ? demo.view.error?.message ?? '' : null);

  /**
   * Leaves the first-run page with a full page load: the app then starts afresh as an
   * initialized system, and ?username= survives (a client-side navigation races the
   * setup gate's own redirect to /login and loses the parameter).
   */
  const goToLogin = (username?: string) => {
    window.location.replace(username ? `/login?username=${encodeURIComponent(username)}` : '/login');
  };

  const create = async (values: SetupForm) => {
    setCreating(true);
    setCreateError(null);
    try {
      const { confirmPassword: _confirm, ...body } = values;
      await api.post('/api/setup', body, { redirectOnAuth: false, csrf: false });
      goToLogin(body.adminUsername.trim());
    } catch (e) {
      setCreateError((e as Error).message);
    } finally {
      setCreating(false);
    }
  };

  if (demoAccounts) {
    return (
      <PublicPage maxWidth={760}>
        <Card title={t('setup.demo.doneTitle')} data-testid="demo-accounts">
          <Alert type="success" showIcon message={t('setup.demo.done')} description={t('setup.demo.copyHint')} style={{ marginBottom: 16 }} />
          <Table<DemoAccount>
            size="small"
            rowKey={(a) => a.username}
            dataSource={demoAccounts}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('setup.demo.role'), dataIndex: 'role', render: (r: string) => valueLabel(tx, 'role', r) },
              { title: t('common.username'), dataIndex: 'username', render: (v: string) => <Typography.Text copyable className="mono">{v}</Typography.Text> },
              { title: t('common.password'), dataIndex: 'password', render: (v: string) => <Typography.Text copyable className="mono">{v}</Typography.Text> },
              { title: t('common.schoolCode'), dataIndex: 'schoolCode', render: (v?: string) => v ?? '—' },
            ]}
          />
          <Button type="primary" block size="large" style={{ marginTop: 16 }} onClick={() => goToLogin(demoAccounts[0]?.username)} data-testid="demo-go-login">
            {t('setup.goLogin')}
          </Button>
        </Card>
      </PublicPage>
    );
  }

  return (
    <PublicPage maxWidth={920}>
      <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 0 }}>{t('setup.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>{t('setup.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={14}>
          <Card title={<><BankOutlined /> {t('setup.create.title')}</>} data-testid="setup-create-card">
            <Form<SetupForm> form={form} layout="vertical" onFinish={create} disabled={demoLoading} requiredMark="optional" data-testid="setup-form">
              <Form.Item name="bureauName" label={t('setup.bureauName')} rules={[{ required: true, message: t('setup.bureauNameRequired') }, zodRule(setupBody.shape.bureauName)]}>
                <Input placeholder={t('setup.bureauNamePlaceholder')} data-testid="setup-bureau-name" maxLength={60} />
              </Form.Item>
              <Form.Item
                name="regionCode"
                label={t('setup.regionCode')}
                extra={t('setup.regionCodeHelp')}
                rules={[{ required: true, message: t('setup.regionCodeRequired') }, zodRule(setupBody.shape.regionCode)]}
              >
                <Input inputMode="numeric" maxLength={6} placeholder="360102" data-testid="setup-region-code" />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="adminUsername" label={t('setup.adminUsername')} rules={[{ required: true, message: t('setup.adminUsernameRequired') }, zodRule(setupBody.shape.adminUsername)]}>
                    <Input autoComplete="username" placeholder="admin" data-testid="setup-admin-username" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="adminDisplayName" label={t('setup.adminDisplayName')} rules={[{ required: true, message: t('setup.adminDisplayNameRequired') }, zodRule(setupBody.shape.adminDisplayName)]}>
                    <Input placeholder={t('setup.adminDisplayNamePlaceholder')} data-testid="setup-admin-display-name" />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="adminPassword"
                    label={t('setup.adminPassword')}
                    extra={t('password.policy')}
                    rules={[{ required: true, message: t('password.required') }, passwordRule(() => form.getFieldValue('adminUsername'))]}
                    dependencies={['adminUsername']}
                  >
                    <Input.Password autoComplete="new-password" data-testid="setup-admin-password" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="confirmPassword"
                    label={t('password.confirm')}
                    dependencies={['adminPassword']}
                    rules={[
                      { required: true, message: t('password.confirmRequired') },
                      ({ getFieldValue }) => ({
                        validator: async (_r, v) => {
                          if (v && v !== getFieldValue('adminPassword')) throw new Error(t('password.mismatch'));
                        },
                      }),
                    ]}
                  >
                    <Input.Password autoComplete="new-password" data-testid="setup-admin-password-confirm" />
                  </Form.Item>
                </Col>
              </Row>
              {createError && <Alert type="error" showIcon message={createError} style={{ marginBottom: 16 }} data-testid="setup-error" />}
              <Button type="primary" htmlType="submit" block size="large" loading={creating} data-testid="setup-submit">
                {t('setup.create.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} md={10}>
          <Card title={<><ExperimentOutlined /> {t('setup.demo.title')}</>} data-testid="setup-demo-card">
            <Typography.Paragraph>{t('setup.demo.intro')}</Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t('setup.demo.note')}</Typography.Paragraph>
            {(demoLoading || demo.view) && <DemoProgressView view={demo.view} running={demoLoading} />}
            {demoError != null && (
              <Alert
                type="error"
                showIcon
                message={demo.view?.status === 'failed' ? t('setup.demo.failed') : demoError}
                description={demo.view?.status === 'failed' ? demoError : undefined}
                style={{ marginBottom: 16 }}
                data-testid="demo-error"
              />
            )}
            <Button block size="large" onClick={demo.start} loading={demoLoading} disabled={creating} data-testid="setup-demo">
              {t('setup.demo.submit')}
            </Button>
          </Card>
        </Col>
      </Row>
    </PublicPage>
  );
}
