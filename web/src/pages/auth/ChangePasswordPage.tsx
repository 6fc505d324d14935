import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { Navigate, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';
import { ME_KEY, useLogout, useMe } from '../../api/session';
import { passwordRule } from '../../components/formRules';
import { PageSpinner } from '../../components/QueryState';
import { useI18n } from '../../i18n/I18nProvider';
import { PublicPage } from '../../layout/PublicPage';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Forced on first login (and reachable from the user menu any time). */
export default function ChangePasswordPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const logout = useLogout();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (me.isLoading) return <PageSpinner />;
  if (me.error instanceof ApiError && me.error.status === 401) return <Navigate to="/login" replace />;
  const forced = me.data?.mustChangePassword ?? false;

  const submit = async (values: PasswordForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      navigate('/', { replace: true });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicPage>
      <Card title={t('password.title')}>
        {forced && <Alert type="warning" showIcon message={t('password.forced')} style={{ marginBottom: 16 }} data-testid="password-forced" />}
        <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
          <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
            <Input.Password autoComplete="current-password" data-testid="password-current" autoFocus />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            extra={t('password.policy')}
            dependencies={['currentPassword']}
            rules={[
              { required: true, message: t('password.required') },
              passwordRule(() => me.data?.username),
              ({ getFieldValue }) => ({
                validator: async (_r, v) => {
                  if (v && v === getFieldValue('currentPassword')) throw new Error(t('password.sameAsOld'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t('password.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('password.confirmRequired') },
              ({ getFieldValue }) => ({
                validator: async (_r, v) => {
                  if (v && v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="password-confirm" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="password-submit">
            {t('password.submit')}
          </Button>
          {forced ? (
            <Button type="link" block style={{ marginTop: 8 }} onClick={logout}>
              {t('layout.logout')}
            </Button>
          ) : (
            <Button type="link" block style={{ marginTop: 8 }} onClick={() => navigate(-1)}>
              {t('common.back')}
            </Button>
          )}
        </Form>
      </Card>
    </PublicPage>
  );
}
